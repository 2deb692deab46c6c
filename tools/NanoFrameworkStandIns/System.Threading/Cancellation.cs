// COMPILE-ONLY STAND-IN for nanoFramework.System.Threading 1.1.52 (assembly System.Threading,
// which ships only the CancellationToken types). Declares the members the board app uses;
// every body throws. Never deployed.

namespace System.Threading
{
    /// <summary>Stand-in: nanoFramework's System.Threading.CancellationToken.</summary>
    public struct CancellationToken
    {
        public bool IsCancellationRequested => throw new NotImplementedException();
    }

    /// <summary>Stand-in: nanoFramework's System.Threading.CancellationTokenSource.</summary>
    public class CancellationTokenSource : IDisposable
    {
        public CancellationTokenSource(int millisecondsDelay) => throw new NotImplementedException();

        public CancellationToken Token => throw new NotImplementedException();

        public void Dispose() => throw new NotImplementedException();
    }
}
