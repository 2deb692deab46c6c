using NanoMailGateway.Core.Delivery;
using Xunit;
using NanoMailGateway.Core.SmtpClient;

namespace NanoMailGateway.Tests.Core.Delivery
{
    public class DeliveryLogLineTests
    {
        [Fact]
        public void FormatsSentDeferredAndBouncedLines()
        {
            Assert.Equal("4XkT9bQ2: to=<a@x.test>, relay=mx.x.test[192.0.2.1]:25, delay=3, dsn=2.0.0, status=sent (host mx.x.test[192.0.2.1]:25 said: 250 2.0.0 Ok: queued as ABC)",
                DeliveryLogLine.Format("4XkT9bQ2", "a@x.test", "mx.x.test[192.0.2.1]:25", 3, new DeliveryStatus(DeliveryOutcome.Sent, 250, "2.0.0", "Ok: queued as ABC")));
            Assert.Equal("Q1: to=<b@y.test>, relay=none, delay=60, dsn=4.4.1, status=deferred (connect to mx.y.test[192.0.2.2]:25: Connection refused)",
                DeliveryLogLine.Format("Q1", "b@y.test", "none", 60, DeliveryStatus.LocalTransient("4.4.1", "connect to mx.y.test[192.0.2.2]:25: Connection refused")));
            Assert.Contains("status=bounced (host", DeliveryLogLine.Format("Q1", "c@y.test", "mx[1.2.3.4]:25", 1, new DeliveryStatus(DeliveryOutcome.Permanent, 550, "5.1.1", "User unknown")));
        }
    }
}
