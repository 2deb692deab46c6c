// What one board can afford: memory, flash, sockets, and the session and buffer limits
// derived from them (boards/*.conf; ARCHITECTURE.md, Memory). The defaults below are the
// ESP32-WROOM-32 without PSRAM, the smallest common ESP32, so that an incomplete
// profile errs on the safe side. The gateway allocates its buffer pool once from these
// numbers and refuses sessions beyond them (421 4.3.2) instead of allocating more.
// Hardware facts (heap_bytes, storage_capacity, max_sockets) may be
// set only by a board profile; the limits may be lowered or raised by the config file.

namespace NanoMailGateway.Core.Config
{
    /// <summary>Board limits. Filled by ConfigParser; read-only by convention once the gateway starts.</summary>
    public sealed class BoardProfile
    {
        /// <summary>Board name (the profile file's name without ".conf").</summary>
        public string Name { get; set; } = "esp32-wroom-32";

        /// <summary>heap_bytes: managed heap in bytes; ~90 KB on an ESP32 without PSRAM (nf-interpreter#1986).</summary>
        public int HeapBytes { get; set; } = 90 * 1024;

        /// <summary>storage_capacity: bytes of flash the queue and mailboxes may use; LittleFS is 256 KB on 4 MB boards and shares it with Wi-Fi credentials.</summary>
        public int StorageCapacity { get; set; } = 192 * 1024;

        /// <summary>max_sockets: sockets the IP stack has in all (ESP32: 16; ESP32-C3: 8).</summary>
        public int MaxSockets { get; set; } = 16;

        /// <summary>buffer_size: bytes per pooled session buffer; at least 512 so that one command or reply
        /// line fits (RFC 5321 §4.5.3.1.4-5). DATA is streamed, so a 1000-octet text line need
        /// not fit; the SMTP listener advertises DSN only from 1012 (RFC 3461 §3).</summary>
        public int BufferSize { get; set; } = 1024;

        /// <summary>buffer_count: buffers in the pool, allocated once at start.</summary>
        public int BufferCount { get; set; } = 16;

        /// <summary>smtp_sessions: concurrent SMTP server sessions; more get 421 4.3.2.</summary>
        public int SmtpSessions { get; set; } = 3;

        /// <summary>pop3_sessions: concurrent POP3 sessions.</summary>
        public int Pop3Sessions { get; set; } = 1;

        /// <summary>
        /// imap_sessions: concurrent IMAP sessions (README, IMAP mailboxes). Default 0: IMAP
        /// is off unless the board's profile makes room for it (two pool buffers a session).
        /// </summary>
        public int ImapSessions { get; set; }

        /// <summary>delivery_sessions: concurrent outgoing SMTP deliveries.</summary>
        public int DeliverySessions { get; set; } = 1;

        /// <summary>dns_cache_entries: cached MX/A answers.</summary>
        public int DnsCacheEntries { get; set; } = 16;

        /// <summary>queue_max_messages: messages the queue index holds (each costs RAM).</summary>
        public int QueueMaxMessages { get; set; } = 32;

        /// <summary>mailbox_max_messages: messages waiting only in local mailboxes, on top of
        /// queue_max_messages (each costs RAM), so unread POP3 mail never takes outbound entries.</summary>
        public int MailboxMaxMessages { get; set; } = 16;

        /// <summary>mailbox_capacity: bytes all local mailboxes together may hold; outbound mail keeps the rest of storage_capacity.</summary>
        public long MailboxCapacity { get; set; } = 48 * 1024;

        /// <summary>mailbox_quota: bytes per local mailbox.</summary>
        public int MailboxQuota { get; set; } = 64 * 1024;

        /// <summary>tls_server: offer STARTTLS as a server; a TLS session costs ~33 KB of native buffers (Home#792).</summary>
        public bool TlsServer { get; set; }

        /// <summary>Bytes the buffer pool takes: BufferSize × BufferCount.</summary>
        public long PoolBytes => (long)BufferSize * BufferCount;

        /// <summary>Sessions of all kinds.</summary>
        public int TotalSessions => SmtpSessions + Pop3Sessions + ImapSessions + DeliverySessions;
    }
}
