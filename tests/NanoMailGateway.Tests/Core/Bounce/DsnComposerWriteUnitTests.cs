using System;
using System.IO;
using System.Text;
using NanoMailGateway.Core.Bounce;
using NanoMailGateway.Core.Delivery;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.SmtpClient;
using NanoMailGateway.Tests.Core.SmtpClient;
using NanoMailGateway.Tests.Support;
using Xunit;
using StepClock = NanoMailGateway.SelfTest.StepClock;
using CountingRandom = NanoMailGateway.SelfTest.CountingRandom;

namespace NanoMailGateway.Tests.Core.Bounce
{
    /// <summary>
    /// The composer has no buffer of its own: it writes into the queue writer's write unit
    /// (GetBuffer/Advance). The report must not depend on the unit's size, on how much room
    /// is left in it, or on how the original is chunked.
    /// </summary>
    public class DsnComposerWriteUnitTests
    {
        /// <summary>A writer shaped like the queue's: a unit of a given size, handed on when full.</summary>
        private sealed class UnitWriter : IMessageWriter
        {
            public readonly MemoryStream Data = new MemoryStream();
            private readonly byte[] _unit;
            private int _count;
            public int Writes;
            public UnitWriter(int unit) { _unit = new byte[unit]; }
            public string QueueId => "UNIT1";
            public long Length => Data.Length + _count;
            public bool Write(byte[] buffer, int offset, int count)
            {
                Writes++;
                throw new InvalidOperationException("the composer must write into the unit");
            }
            public byte[] GetBuffer(out int offset, out int count)
            {
                offset = _count;
                count = _unit.Length - _count;
                return _unit;
            }
            public bool Advance(int count)
            {
                Assert.InRange(count, 0, _unit.Length - _count);
                _count += count;
                if (_count == _unit.Length) Spill();
                return true;
            }
            public void Commit() => Spill();
            public void Abort() { }
            private void Spill()
            {
                Data.Write(_unit, 0, _count);
                _count = 0;
            }
        }

        private static string Compose(string original, DsnReturn ret, int unit, int chunk)
        {
            var composer = new DsnComposer(new DsnComposerOptions { HostName = "gw" }, new StepClock(), new CountingRandom(5));
            var w = new UnitWriter(unit);
            var env = new Envelope("s@x.test") { Return = ret, EnvelopeId = "E1" };
            var r = new[] { new DsnRecipient(new EnvelopeRecipient("a@b.test", false, DsnNotify.Unspecified, null), DsnAction.Failed, DeliveryStatus.LocalPermanent("5.1.2", "no such domain"), null, default, default) };
            Assert.True(composer.Compose(w, env, r, new BytesContent(original, chunk)));
            w.Commit();
            Assert.Equal(0, w.Writes);
            return Encoding.Latin1.GetString(w.Data.ToArray());
        }

        private static string Attached(string raw)
        {
            int start = raw.IndexOf("Content-Transfer-Encoding: 8bit\r\n\r\n", raw.IndexOf("Content-Description: Undelivered", StringComparison.Ordinal), StringComparison.Ordinal) + 35;
            int end = raw.LastIndexOf("\r\n--", StringComparison.Ordinal);
            return raw.Substring(start, end - start);
        }

        [Theory]
        [InlineData("Subject: a\r\n\r\nbody\r\n", "Subject: a\r\n")]
        [InlineData("\r\nbody only\r\n", "")]
        [InlineData("\rX: y\r\n\r\nbody\r\n", "\rX: y\r\n")]                     // a bare CR first: held, then kept
        [InlineData("S: a\r\n\rX: b\r\n\r\nbody\r\n", "S: a\r\n\rX: b\r\n")]     // CRLF CR not followed by LF
        [InlineData("S: a\r\n\r", "S: a\r\n\r\n")]                               // cut after the CR
        [InlineData("S: \u00e9\r\r\n\r\n.x\r\n", "S: \u00e9\r\r\n")]
        public void HeaderSectionIsTheSameWhateverTheUnitAndTheChunking(string original, string expected)
        {
            string reference = Compose(original, DsnReturn.Headers, 512, int.MaxValue);
            Assert.Equal(expected, Attached(reference));
            foreach (int unit in new[] { 1, 2, 3, 7, 64, 2048 })
            {
                foreach (int chunk in new[] { 1, 2, 3, 5, 1000 })
                {
                    Assert.Equal(reference, Compose(original, DsnReturn.Headers, unit, chunk));
                }
            }
        }

        [Fact]
        public void FullMessageIsTheSameWhateverTheUnitAndTheChunking()
        {
            string original = "Subject: big\r\n\r\n" + new string('y', 3000) + "\r\n.dot\r\nno final line end";
            string reference = Compose(original, DsnReturn.Full, 512, int.MaxValue);
            Assert.Equal(original + "\r\n", Attached(reference));
            foreach (int unit in new[] { 1, 7, 2048 })
            {
                foreach (int chunk in new[] { 1, 3, 1000 })
                {
                    Assert.Equal(reference, Compose(original, DsnReturn.Full, unit, chunk));
                }
            }
        }
    }
}
