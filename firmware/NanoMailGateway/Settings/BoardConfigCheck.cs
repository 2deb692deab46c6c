// What the board adds to the checks Core makes on every host (ConfigValidator): settings
// the emulator can honour on a PC and the board cannot. One today: TLS to the relayhost
// (relay_security starttls or tls) needs relay_ca_file, because the board has no CA bundle
// to check the relayhost's certificate against (README, Configuration). Without it every
// delivery through the relayhost would fail at the handshake and sit in the queue; the
// board refuses to start instead, naming the key, as for any other bad setting.

using NanoMailGateway.Core.Config;

namespace NanoMailGateway.Board.Settings
{
    /// <summary>Board-only configuration rules, checked after ConfigValidator.</summary>
    public static class BoardConfigCheck
    {
        /// <summary>The first rule <paramref name="c"/> breaks on a board, as a message naming the key; null when none.</summary>
        public static string? Check(GatewayConfig c)
        {
            if (c.RelaySecurity != RelaySecurity.None && c.RelayCaFile.Length == 0)
            {
                return "relay_ca_file: needed with relay_security = " + (c.RelaySecurity == RelaySecurity.StartTls ? "starttls" : "tls")
                    + " (the board has no CA bundle to check the relayhost's certificate)";
            }
            return null;
        }
    }
}
