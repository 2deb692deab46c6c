// The result type of the runtime guard: which forbidden construct, in which type or
// member (full name, nested types joined with '+'), and what exactly was met.

namespace NanoMailGateway.Tests.Guard
{
    /// <summary>What the 1.x runtime cannot run, or runs differently from .NET where host tests cannot see it.</summary>
    public enum GuardConstruct
    {
        GenericTypeDefinition,
        GenericMethodDefinition,
        GenericInstantiation,
        MultiDimensionalArray,
        Pointer,
        FunctionPointer,
        /// <summary>A string array whose slots are typed empty strings, not null, on the device (StringArrayRule).</summary>
        StringArrayWithoutNullSlots,
        /// <summary>Overflow-checked arithmetic, whose check the interpreter ignores.</summary>
        OverflowCheck,
        /// <summary>A thread or timer entry point without a catch of System.Exception (ThreadEntryRule).</summary>
        UnguardedThreadEntry,
        /// <summary>A static constructor that makes objects: heap held from boot on the device.</summary>
        StaticDataAtBoot,
    }

    /// <summary>One forbidden construct and the type or member that uses it.</summary>
    public sealed record GuardFinding(GuardConstruct Construct, string Member, string Detail)
    {
        public override string ToString() => Construct + " in " + Member + ": " + Detail;
    }
}
