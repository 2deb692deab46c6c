// Delivery with the three buffers a session rents from a pool of 512-octet buffers: the
// loopback MX tests (real dnsmasq, smtp-sink, MessageStore) run again with them.

namespace NanoMailGateway.Tests.Core.Delivery
{
    public sealed class MxDeliveryInteropTestsAt512 : MxDeliveryInteropTests
    {
        public MxDeliveryInteropTestsAt512(DeliveryZone zone) : base(zone) { }

        protected override int BufferSize => 512;
    }
}
