// The settings only the board app reads, from I:\board.conf: how to reach the network and
// where the queue lives. They are kept out of nmg.conf because Core's config parser
// rejects keys it does not know, and because the emulator has no use for them.
// Same syntax as nmg.conf: "key = value" lines, '#' comment lines, blank lines, LF or CRLF.
//   wifi_ssid     = Workshop        (empty or absent: the network stored on the device)
//   wifi_password = secret
//   storage       = internal        (LittleFS on I:, the only storage for now)
//   board         = esp32-c3        (the name of the profile copied to I:\profile.conf, for logs and errors)
// Shared board/host source (pure logic): the host tests parse it too.
// Left out on purpose: static IP settings (DHCP only; reserve the address on the router);
// storage = sd: nanoFramework mounts no SD card by itself (the app would call SDCard.Mount
// with the board's bus and pins), and that path cannot be tested without the hardware, so
// it is refused until it is (README, Configuration files on I:).

using NanoMailGateway.Core.Text;

namespace NanoMailGateway.Board.Settings
{
    /// <summary>Board-only settings. Read once at boot.</summary>
    public sealed class BoardSettings
    {
        /// <summary>Largest board.conf accepted, in bytes: a few short lines.</summary>
        public const int MaxFileBytes = 2048;

        /// <summary>wifi_ssid: the network to join; "" = the one stored on the device.</summary>
        public string WifiSsid { get; private set; } = "";

        /// <summary>wifi_password: its WPA2 passphrase ("" for an open network).</summary>
        public string WifiPassword { get; private set; } = "";

        /// <summary>board: the profile's name (boards/NAME.conf); "" = the profile's default name.</summary>
        public string Board { get; private set; } = "";

        /// <summary>The store's folder: I:\nmg on the internal flash (LittleFS).</summary>
        public string StorageFolder => "I:\\nmg";

        /// <summary>
        /// Parses board.conf. Returns null on success with <paramref name="settings"/> set, or
        /// an error text naming the line ("board.conf:3: unknown key 'wifi'").
        /// </summary>
        public static string? Parse(byte[] data, int count, out BoardSettings settings)
        {
            settings = new BoardSettings();
            if (count > MaxFileBytes) return "board.conf: larger than " + MaxFileBytes.ToString() + " bytes";
            int pos = 0;
            int line = 0;
            while (pos < count)
            {
                line++;
                int lf = Ascii.IndexOf(data, pos, count - pos, Ascii.LF);
                int end = lf < 0 ? count : lf;
                int next = lf < 0 ? count : lf + 1;
                int start = pos;
                pos = next;
                while (start < end && IsBlank(data[start])) start++;
                while (end > start && IsBlank(data[end - 1])) end--;
                if (start == end || data[start] == (byte)'#') continue;
                for (int i = start; i < end; i++)
                {
                    if (data[i] < 32 || data[i] > 126) return Where(line) + "bad character (only printable ASCII is allowed)";
                }
                int eq = Ascii.IndexOf(data, start, end - start, (byte)'=');
                if (eq < 0) return Where(line) + "expected key = value";
                int keyEnd = eq;
                while (keyEnd > start && IsBlank(data[keyEnd - 1])) keyEnd--;
                int valueStart = eq + 1;
                while (valueStart < end && IsBlank(data[valueStart])) valueStart++;
                string key = Ascii.GetString(data, start, keyEnd - start);
                string value = Ascii.GetString(data, valueStart, end - valueStart);
                string? error = settings.Apply(key, value);
                if (error != null) return Where(line) + error;
            }
            return null;
        }

        private string? Apply(string key, string value)
        {
            switch (key)
            {
                case "wifi_ssid":
                    // IEEE 802.11: an SSID is at most 32 octets.
                    if (value.Length > 32) return "wifi_ssid: longer than 32 characters";
                    WifiSsid = value;
                    return null;
                case "wifi_password":
                    // WPA2 passphrase: 8..63 characters (IEEE 802.11i); empty = open network.
                    if (value.Length != 0 && (value.Length < 8 || value.Length > 63)) return "wifi_password: a WPA2 passphrase has 8 to 63 characters";
                    WifiPassword = value;
                    return null;
                case "board":
                    if (!IsProfileName(value)) return "board: bad name '" + value + "' (letters, digits and '-', like esp32-c3)";
                    Board = value;
                    return null;
                case "storage":
                    if (value == "internal") return null;
                    if (value == "sd") return "storage: sd is not supported yet (the app does not mount SD cards); use internal";
                    return "storage: bad value '" + value + "' (use internal)";
            }
            return "unknown key '" + key + "'";
        }

        private static bool IsProfileName(string s)
        {
            if (s.Length == 0 || s.Length > 32) return false;
            for (int i = 0; i < s.Length; i++)
            {
                char c = s[i];
                if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
            }
            return true;
        }

        private static string Where(int line)
        {
            return "board.conf:" + line.ToString() + ": ";
        }

        private static bool IsBlank(byte b)
        {
            return b == (byte)' ' || b == Ascii.HT || b == Ascii.CR;
        }
    }
}
