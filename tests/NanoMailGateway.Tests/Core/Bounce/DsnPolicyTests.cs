using NanoMailGateway.Core.Bounce;
using NanoMailGateway.Core.Queue;
using Xunit;

namespace NanoMailGateway.Tests.Core.Bounce
{
    public class DsnPolicyTests
    {
        [Theory]
        [InlineData("a@b", DsnNotify.Unspecified, DsnAction.Failed, false, true)]
        [InlineData("a@b", DsnNotify.Unspecified, DsnAction.Delayed, false, false)]
        [InlineData("a@b", DsnNotify.Unspecified, DsnAction.Delayed, true, true)]
        [InlineData("a@b", DsnNotify.Unspecified, DsnAction.Delivered, true, false)]
        [InlineData("a@b", DsnNotify.Unspecified, DsnAction.Relayed, true, false)]
        [InlineData("a@b", DsnNotify.Never, DsnAction.Failed, true, false)]
        [InlineData("a@b", DsnNotify.Never, DsnAction.Delayed, true, false)]
        [InlineData("a@b", DsnNotify.Success, DsnAction.Failed, true, false)]
        [InlineData("a@b", DsnNotify.Success, DsnAction.Delivered, false, true)]
        [InlineData("a@b", DsnNotify.Success, DsnAction.Relayed, false, true)]
        [InlineData("a@b", DsnNotify.Failure, DsnAction.Failed, false, true)]
        [InlineData("a@b", DsnNotify.Failure, DsnAction.Delayed, true, false)]
        [InlineData("a@b", DsnNotify.Delay, DsnAction.Delayed, false, true)]
        [InlineData("a@b", DsnNotify.Delay | DsnNotify.Failure, DsnAction.Failed, false, true)]
        [InlineData("", DsnNotify.Unspecified, DsnAction.Failed, true, false)]     // never bounce a bounce
        [InlineData("", DsnNotify.Failure, DsnAction.Failed, true, false)]
        public void Decides(string sender, DsnNotify notify, DsnAction action, bool delayByDefault, bool expected)
        {
            Assert.Equal(expected, DsnPolicy.ShouldNotify(sender, notify, action, delayByDefault));
        }
    }
}
