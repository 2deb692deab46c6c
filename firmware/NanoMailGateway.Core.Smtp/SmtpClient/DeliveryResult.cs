// What one SMTP transaction (one message to one server) produced: a status per
// recipient, in the order they were given, plus what the RFC 3464 report and the
// log need about the server (Remote-MTA, relay=host[ip]:port).


namespace NanoMailGateway.Core.SmtpClient
{
    /// <summary>Result of <see cref="SmtpClientSession.Deliver"/>. The statuses array is owned by the caller.</summary>
    public sealed class DeliveryResult
    {
        /// <summary>Creates a result with one status slot per recipient.</summary>
        public DeliveryResult(int recipientCount, string remoteHost, string remoteAddress, int remotePort)
        {
            Statuses = new DeliveryStatus[recipientCount];
            RemoteHost = remoteHost;
            RemoteAddress = remoteAddress;
            RemotePort = remotePort;
        }

        /// <summary>One status per recipient, same index as the recipients given. Never null after Deliver.</summary>
        public DeliveryStatus[] Statuses { get; }

        /// <summary>The server's name as the caller gave it (MX host or smarthost), for Remote-MTA: dns; (RFC 3464 §2.3.5).</summary>
        public string RemoteHost { get; }

        /// <summary>The server's IP address.</summary>
        public string RemoteAddress { get; }

        /// <summary>The server's port.</summary>
        public int RemotePort { get; }

        /// <summary>True when the server offered DSN and our NOTIFY/ORCPT/RET/ENVID went with the message:
        /// it now owns success notices (RFC 3461 §5.2.2); otherwise a NOTIFY=SUCCESS sender gets "relayed" from us.</summary>
        public bool DsnPassedOn { get; set; }

        /// <summary>True when the session can carry another message (after a clean end or a RSET).</summary>
        public bool ConnectionUsable { get; set; }

        /// <summary>Number of recipients with <paramref name="outcome"/>.</summary>
        public int Count(DeliveryOutcome outcome)
        {
            int n = 0;
            for (int i = 0; i < Statuses.Length; i++)
            {
                if (Statuses[i] != null && Statuses[i].Outcome == outcome) n++;
            }
            return n;
        }

        /// <summary>"host[ip]:port" for the log's relay= field.</summary>
        public string Relay => RemoteHost + "[" + RemoteAddress + "]:" + RemotePort.ToString();
    }
}
