// The emulator's INetwork: the board's own socket adapters (NanoSocketNetwork and friends,
// linked from firmware/NanoMailGateway/Adapters) plus the one thing a host needs and the
// board does not: restarting the gateway must not wait for TIME_WAIT to pass, while a
// second gateway must still not share the port.
// Left out on purpose: IPv6 (the shared adapters are IPv4, as the board is).

using System;
using System.Net.Sockets;
using NanoMailGateway.Board.Adapters;

namespace NanoMailGateway.Emulator.Host
{
    /// <summary>Real host sockets through the board's adapters. Thread-safe.</summary>
    public sealed class HostSocketNetwork : NanoSocketNetwork
    {
        /// <summary>
        /// .NET's ReuseAddress sets SO_REUSEPORT too on Unix (two listeners then split the
        /// connections), so plain SO_REUSEADDR is set directly; Windows' SO_REUSEADDR would
        /// allow hijacking, so it gets the exclusive option.
        /// </summary>
        protected override void BeforeListenBind(Socket socket)
        {
            if (OperatingSystem.IsWindows())
            {
                socket.ExclusiveAddressUse = true;
            }
            else if (OperatingSystem.IsLinux())
            {
                socket.SetRawSocketOption(1 /* SOL_SOCKET */, 2 /* SO_REUSEADDR */, BitConverter.GetBytes(1));
            }
            else
            {
                socket.SetRawSocketOption(0xFFFF /* SOL_SOCKET */, 4 /* SO_REUSEADDR */, BitConverter.GetBytes(1));
            }
        }
    }
}
