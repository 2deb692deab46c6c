// The self-test carries the esp32-c3 and esp32-wroom-32 profiles as text
// (firmware/NanoMailGateway.SelfTest/Support/BoardProfiles.cs: a board has no profile
// file to read). They must say what boards/*.conf say, or the full-load checks would
// prove a board's heap with limits the board does not run.

using System.Reflection;
using NanoMailGateway.Core.Config;
using NanoMailGateway.Emulator.Gateway;
using NanoMailGateway.SelfTest;
using Xunit;

namespace NanoMailGateway.Tests.SelfTest
{
    public class SelfTestProfilesTests
    {
        [Theory]
        [InlineData("esp32-c3", BoardProfiles.C3)]
        [InlineData("esp32-wroom-32", BoardProfiles.Wroom32)]
        public void InlineProfileEqualsTheShippedFile(string board, string inline)
        {
            LoadResult shipped = ConfigLoader.Load(board, null);
            Assert.True(shipped.Config != null, shipped.Error);
            var mirrored = new GatewayConfig();
            Assert.Null(ConfigParser.Parse(inline, board + ".conf", mirrored, true));

            foreach (PropertyInfo p in typeof(BoardProfile).GetProperties())
            {
                if (p.Name == nameof(BoardProfile.Name)) continue;
                Assert.True(Equals(p.GetValue(shipped.Config!.Board), p.GetValue(mirrored.Board)), board + ": " + p.Name + " differs");
            }
            Assert.Equal(shipped.Config!.MessageSizeLimit, mirrored.MessageSizeLimit);
            Assert.Equal(shipped.Config.MaxRecipients, mirrored.MaxRecipients);
            Assert.Equal(shipped.Config.ConnectionCacheSeconds, mirrored.ConnectionCacheSeconds);
        }
    }
}
