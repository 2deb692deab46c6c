// I:\board.conf parsing (firmware/NanoMailGateway/Settings/BoardSettings.cs, the source
// the board runs): the Wi-Fi and storage keys, comments, line ends, and every refusal.

using System.Text;
using NanoMailGateway.Board.Settings;
using Xunit;

namespace NanoMailGateway.Tests.Board.Settings
{
    public class BoardSettingsTests
    {
        private static string? Parse(string text, out BoardSettings s)
        {
            byte[] data = Encoding.ASCII.GetBytes(text);
            return BoardSettings.Parse(data, data.Length, out s);
        }

        [Fact]
        public void EmptyFileMeansStoredNetworkAndInternalFlash()
        {
            Assert.Null(Parse("", out BoardSettings s));
            Assert.Equal("", s.WifiSsid);
            Assert.Equal("", s.WifiPassword);
            Assert.Equal("I:\\nmg", s.StorageFolder);
        }

        [Fact]
        public void ReadsEveryKeyWithCommentsBlanksAndCrlf()
        {
            string text = "# board settings\r\n\r\n  wifi_ssid = Work shop \r\nwifi_password=pa#ss word1\r\n\tstorage = internal\nboard = esp32-c3\n";
            Assert.Null(Parse(text, out BoardSettings s));
            Assert.Equal("Work shop", s.WifiSsid);
            Assert.Equal("pa#ss word1", s.WifiPassword);
            Assert.Equal("I:\\nmg", s.StorageFolder);
            Assert.Equal("esp32-c3", s.Board);
        }

        [Theory]
        [InlineData("wifi = x", "board.conf:1: unknown key 'wifi'")]
        [InlineData("# c\nwifi_ssid", "board.conf:2: expected key = value")]
        [InlineData("board = ../esp32", "board.conf:1: board: bad name '../esp32' (letters, digits and '-', like esp32-c3)")]
        [InlineData("storage = flash", "board.conf:1: storage: bad value 'flash' (use internal)")]
        [InlineData("storage = sd", "board.conf:1: storage: sd is not supported yet (the app does not mount SD cards); use internal")]
        [InlineData("wifi_password = short", "board.conf:1: wifi_password: a WPA2 passphrase has 8 to 63 characters")]
        [InlineData("wifi_ssid = 123456789012345678901234567890123", "board.conf:1: wifi_ssid: longer than 32 characters")]
        [InlineData("wifi_ssid = caf\u00e9", "board.conf:1: bad character (only printable ASCII is allowed)")]
        public void RefusesWithFileAndLine(string text, string expected)
        {
            byte[] data = Encoding.UTF8.GetBytes(text);
            Assert.Equal(expected, BoardSettings.Parse(data, data.Length, out _));
        }

        [Fact]
        public void RefusesAnOversizedFile()
        {
            var data = new byte[BoardSettings.MaxFileBytes + 1];
            Assert.Equal("board.conf: larger than 2048 bytes", BoardSettings.Parse(data, data.Length, out _));
        }

        [Fact]
        public void AnEmptyPasswordIsAnOpenNetwork()
        {
            Assert.Null(Parse("wifi_ssid = guest\nwifi_password =\n", out BoardSettings s));
            Assert.Equal("guest", s.WifiSsid);
            Assert.Equal("", s.WifiPassword);
        }
    }
}
