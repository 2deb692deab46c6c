using System;
using System.Text;
using NanoMailGateway.Core.Config;
using NanoMailGateway.Core.Mailbox;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.Simulation;
using NanoMailGateway.Core.Smtp;
using NanoMailGateway.Tests.Support;
using Xunit;
using NanoMailGateway.SelfTest;

namespace NanoMailGateway.Tests.Core.Mailbox
{
    public class MailboxRecipientsTests
    {
        /// <summary>Mailbox "alerts" holds one 600-octet message; quota 1000.</summary>
        private static MailboxRecipients Check()
        {
            var c = new GatewayConfig { Hostname = "gw.example", LocalDomains = new[] { "plant.example" } };
            c.SetAccount("postmaster", "x");
            c.SetAccount("alerts", "y");
            c.SetAlias("oncall", new[] { "alerts", "pager@far.example" });
            var s = MessageStore.Open(new FlashSimulator(192 * 1024, 1), QueueOptions.ForCapacity(192 * 1024, 16), new StepClock());
            var env = new Envelope("");
            env.AddRecipient(new EnvelopeRecipient("alerts@plant.example", true, DsnNotify.Never, null));
            IMessageWriter w = s.BeginLocalMessage(env)!;
            byte[] b = Encoding.ASCII.GetBytes(new string('x', 598) + "\r\n");
            w.Write(b, 0, b.Length);
            w.Commit();
            s.SetStatus(s.Find(w.QueueId)!, 0, new RecipientStatus(RecipientState.InMailbox, 1, DateTime.MinValue, "2.0.0", "", "alerts", 0));
            return new MailboxRecipients(new LocalRecipientMap(c), new MailboxStore(s), 1000);
        }

        [Theory]
        [InlineData("alerts@plant.example", 0, LocalRecipientResult.Accept)]
        [InlineData("ALERTS@gw.example", 400, LocalRecipientResult.Accept)]          // 600 + 400 = quota: still fits
        [InlineData("alerts@plant.example", 401, LocalRecipientResult.MailboxFull)]  // declared SIZE= would pass the quota
        [InlineData("postmaster@plant.example", 1000, LocalRecipientResult.Accept)]
        [InlineData("postmaster", 0, LocalRecipientResult.Accept)]                   // RFC 5321 §4.1.1.3 bare postmaster
        [InlineData("nobody@plant.example", 0, LocalRecipientResult.UnknownMailbox)]
        [InlineData("alerts@elsewhere.example", 0, LocalRecipientResult.UnknownMailbox)]
        [InlineData("nobody", 0, LocalRecipientResult.UnknownMailbox)]
        [InlineData("OnCall@plant.example", 5000, LocalRecipientResult.Alias)]       // its targets' quotas are local delivery's to enforce
        [InlineData("oncall@elsewhere.example", 0, LocalRecipientResult.UnknownMailbox)]
        public void DecidesOnMailboxAndQuota(string address, long declared, LocalRecipientResult expected)
        {
            Assert.Equal(expected, Check().Check(address, declared));
        }

        [Fact]
        public void AnAliasExpandsToFullAddresses()
        {
            // An account name gets the hostname as its domain (README, Aliases).
            Assert.Equal(new[] { "alerts@gw.example", "pager@far.example" }, Check().Expand("oncall@gw.example"));
            Assert.Empty(Check().Expand("alerts@gw.example"));
        }
    }
}
