// One method's share of its assembly's bytecode budget: the estimated nanoFramework
// bytecode of its body and the IL it comes from. BytecodeBudget makes these; nothing
// here computes. Left out: methods without a body (abstract, extern, runtime), which
// take no bytecode.

namespace NanoMailGateway.Tests.Guard
{
    public sealed class MethodBytecode
    {
        public MethodBytecode(string name, int bytecode, int ilBytes)
        {
            Name = name;
            Bytecode = bytecode;
            IlBytes = ilBytes;
        }

        /// <summary>Namespace.Type.Method (nested types as Outer+Inner).</summary>
        public string Name { get; }

        /// <summary>Estimated nanoFramework bytecode: code and exception handler table.</summary>
        public int Bytecode { get; }

        /// <summary>IL code bytes of the body (no header, no exception clauses).</summary>
        public int IlBytes { get; }

        public override string ToString() => Name + " (" + Bytecode + " B)";
    }
}
