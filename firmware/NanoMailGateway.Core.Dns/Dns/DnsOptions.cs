// Settings of the MX resolver, each with its default, unit and reason (Postfix
// mail_params.h style). The board profile and the configuration fill them in
// (`dns_servers` comes from DHCP on the board, from resolv.conf on the host).

namespace NanoMailGateway.Core.Dns
{
    /// <summary>Resolver settings. Read once by the MxResolver constructor.</summary>
    public sealed class DnsOptions
    {
        /// <summary>Recursive servers, "ip" or "ip:port", tried in order. Default: none (every lookup fails with 4.4.3).</summary>
        public string[] Servers { get; set; } = Text.StringArray.New(0);

        /// <summary>Wait for one UDP answer, ms. Default 2000: a LAN or ISP resolver answers in well under that.</summary>
        public int TryTimeoutMs { get; set; } = 2000;

        /// <summary>Wait for one TCP exchange after TC (connect, send, read), ms. Default 4000.</summary>
        public int TcpTimeoutMs { get; set; } = 4000;

        /// <summary>Rounds over all servers. Default 2 (like resolv.conf "attempts:2").</summary>
        public int Attempts { get; set; } = 2;

        /// <summary>Ceiling on one whole Resolve (MX query, CNAMEs and address queries), ms. Default 10000.</summary>
        public int TotalTimeoutMs { get; set; } = 10000;

        /// <summary>Octets per packet buffer: a UDP answer (at most 512) and what is kept of a TCP answer
        /// (up to 65535, cut at the last whole record that fits). Default 1024.</summary>
        public int PacketBufferSize { get; set; } = 1024;

        /// <summary>Packet buffers in the resolver's pool = concurrent lookups. Default 2.</summary>
        public int PacketBuffers { get; set; } = 2;

        /// <summary>Cached domains; the oldest entry goes when full. Default 16.</summary>
        public int CacheEntries { get; set; } = 16;

        /// <summary>Least time an answer stays cached, s (TTL floor). Default 30.</summary>
        public int MinTtlSeconds { get; set; } = 30;

        /// <summary>Most time an answer stays cached, s (TTL ceiling; the board has no SOA-driven flush). Default 3600.</summary>
        public int MaxTtlSeconds { get; set; } = 3600;

        /// <summary>Time NXDOMAIN and no-data answers stay cached, s (RFC 2308, kept short and fixed). Default 60.</summary>
        public int NegativeTtlSeconds { get; set; } = 60;

        /// <summary>Exchangers kept after sorting (chasquid and Postfix use 5). Default 5.</summary>
        public int MaxExchangers { get; set; } = 5;

        /// <summary>Addresses kept over all exchangers (Postfix smtp_mx_address_limit). Default 5.</summary>
        public int MaxAddresses { get; set; } = 5;

        /// <summary>CNAME records followed per name. Default 5.</summary>
        public int MaxCnameHops { get; set; } = 5;

        /// <summary>Resource records looked at per message (bounds work on hostile counts). Default 64.</summary>
        public int MaxRecords { get; set; } = 64;

        /// <summary>Also ask for AAAA and accept IPv6 literals. Default false: the board has no IPv6, and the host keeps it off so both behave alike.</summary>
        public bool UseIPv6 { get; set; }

        /// <summary>Random source ports tried before letting the system choose (RFC 5452 §9.2). Default 4.</summary>
        public int BindAttempts { get; set; } = 4;
    }
}
