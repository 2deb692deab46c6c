// Exit codes from sysexits.h, so that scripts and service managers can tell a typo in
// the command line from a bad configuration from a port already in use.

namespace NanoMailGateway.Emulator.Cli
{
    public static class ExitCodes
    {
        public const int Ok = 0;

        /// <summary>EX_USAGE: unknown option or verb, missing or bad value, unknown board.</summary>
        public const int Usage = 64;

        /// <summary>EX_DATAERR: the input is unusable (nmg mx: not a domain; nmg send: a line over
        /// 998 octets, no recipient, an address that would need SMTPUTF8).</summary>
        public const int DataErr = 65;

        /// <summary>EX_NOINPUT: a named input file (the config) does not exist or cannot be read.</summary>
        public const int NoInput = 66;

        /// <summary>EX_NOUSER: the addressee is unknown (nmg send: a recipient refused with 5.1.x, RFC 3463 §3.2).</summary>
        public const int NoUser = 67;

        /// <summary>EX_NOHOST: the host does not exist (nmg mx: a permanent DNS failure; nmg send: the server's name).</summary>
        public const int NoHost = 68;

        /// <summary>EX_UNAVAILABLE: the service refused for good or is not there (nmg send: a 5xx reply other
        /// than 5.1.x; nmg queue, nmg status: the gateway's admin endpoint cannot be reached).</summary>
        public const int Unavailable = 69;

        /// <summary>EX_SOFTWARE: an internal error.</summary>
        public const int Software = 70;

        /// <summary>EX_OSERR: the OS refused (a listen address in use, the data directory not writable).</summary>
        public const int OsErr = 71;

        /// <summary>EX_CANTCREAT: a file in the data directory cannot be created.</summary>
        public const int CantCreate = 73;

        /// <summary>EX_IOERR: the queue's files cannot be read or written.</summary>
        public const int IoErr = 74;

        /// <summary>EX_TEMPFAIL: try again later (nmg mx: a temporary DNS failure, no server; nmg send:
        /// a 4xx reply, connection refused, a timeout or a dropped connection).</summary>
        public const int TempFail = 75;

        /// <summary>EX_PROTOCOL: the remote answered something unexpected (nmg queue, nmg status).</summary>
        public const int Protocol = 76;

        /// <summary>EX_NOPERM: permission denied (nmg queue, nmg status: the password or the client was refused).</summary>
        public const int NoPerm = 77;

        /// <summary>EX_CONFIG: the configuration has an error.</summary>
        public const int Config = 78;
    }
}
