// The board profiles the self-test runs with, as text in the format of boards/*.conf:
// a board has no profile file until one is deployed, and the checks must not depend on
// one. The values are those of boards/esp32-c3.conf and boards/esp32-wroom-32.conf
// (comments left out); tests/NanoMailGateway.Tests/SelfTest/SelfTestProfilesTests.cs
// fails when the two drift apart. CRLF line ends on purpose: the parser must take them.

namespace NanoMailGateway.SelfTest
{
    /// <summary>Board profile texts (README, Supported boards).</summary>
    public static class BoardProfiles
    {
        /// <summary>boards/esp32-c3.conf: the smallest heap (54,472 bytes measured on a C3).</summary>
        public const string C3 =
            "# Board profile: ESP32-C3\r\n" +
            "heap_bytes = 54K\r\n" +
            "storage_capacity = 192K\r\n" +
            "max_sockets = 8\r\n" +
            "\r\n" +
            "buffer_size = 512\r\n" +
            "buffer_count = 6\r\n" +
            "smtp_sessions = 1\r\n" +
            "pop3_sessions = 1\r\n" +
            "delivery_sessions = 1\r\n" +
            "dns_cache_entries = 8\r\n" +
            "queue_max_messages = 16\r\n" +
            "mailbox_quota = 32K\r\n" +
            "mailbox_max_messages = 8\r\n" +
            "mailbox_capacity = 24K\r\n" +
            "message_size_limit = 32K\r\n" +
            "max_recipients = 20\r\n" +
            "tls_server = no\r\n" +
            "smtp_connection_cache_time_limit = 0\r\n";

        /// <summary>boards/esp32-wroom-32.conf: the default board (about 90 KB of heap).</summary>
        public const string Wroom32 =
            "# Board profile: ESP32-WROOM-32\r\n" +
            "heap_bytes = 90K\r\n" +
            "storage_capacity = 192K\r\n" +
            "max_sockets = 16\r\n" +
            "\r\n" +
            "buffer_size = 1K\r\n" +
            "buffer_count = 8\r\n" +
            "smtp_sessions = 2\r\n" +
            "pop3_sessions = 1\r\n" +
            "imap_sessions = 1\r\n" +
            "delivery_sessions = 1\r\n" +
            "dns_cache_entries = 16\r\n" +
            "queue_max_messages = 32\r\n" +
            "mailbox_quota = 64K\r\n" +
            "mailbox_max_messages = 16\r\n" +
            "mailbox_capacity = 48K\r\n" +
            "message_size_limit = 64K\r\n" +
            "max_recipients = 50\r\n" +
            "tls_server = no\r\n";
    }
}
