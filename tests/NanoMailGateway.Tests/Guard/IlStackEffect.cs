// How many evaluation-stack slots one IL instruction pops and pushes: fixed for most
// opcodes (OpCode.StackBehaviourPop/Push), read from the method signature for call,
// callvirt and newobj (parameters, the instance, the return value). What it cannot tell
// (calli, ret, a signature it cannot read) it says so, and the caller gives up.

using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;

namespace NanoMailGateway.Tests.Guard
{
    /// <summary>Stack effect of IL instructions in one assembly.</summary>
    internal sealed class IlStackEffect
    {
        private readonly MetadataReader _md;

        public IlStackEffect(MetadataReader md)
        {
            _md = md;
        }

        /// <summary>Slots <paramref name="ins"/> pops and pushes; false when that is not known.</summary>
        public bool TryGet(IlInstruction ins, out int pop, out int push)
        {
            pop = Count(ins.OpCode.StackBehaviourPop);
            push = Count(ins.OpCode.StackBehaviourPush);
            if (pop >= 0 && push >= 0) return true;
            if (ins.Is(OpCodes.Call) || ins.Is(OpCodes.Callvirt)) return TryMethod(ins.Operand, false, out pop, out push);
            if (ins.Is(OpCodes.Newobj)) return TryMethod(ins.Operand, true, out pop, out push);
            return false;
        }

        private bool TryMethod(int token, bool newobj, out int pop, out int push)
        {
            pop = push = 0;
            EntityHandle h = MetadataTokens.EntityHandle(token);
            if (h.Kind == HandleKind.MethodSpecification) h = _md.GetMethodSpecification((MethodSpecificationHandle)h).Method;
            BlobHandle signature;
            if (h.Kind == HandleKind.MethodDefinition) signature = _md.GetMethodDefinition((MethodDefinitionHandle)h).Signature;
            else if (h.Kind == HandleKind.MemberReference) signature = _md.GetMemberReference((MemberReferenceHandle)h).Signature;
            else return false;

            BlobReader r = _md.GetBlobReader(signature);
            SignatureHeader header = r.ReadSignatureHeader();
            if (header.Kind != SignatureKind.Method || header.CallingConvention == SignatureCallingConvention.VarArgs) return false;
            if (header.IsGeneric) r.ReadCompressedInteger();
            int parameters = r.ReadCompressedInteger();
            SignatureTypeCode returns = r.ReadSignatureTypeCode();
            while (returns == SignatureTypeCode.RequiredModifier || returns == SignatureTypeCode.OptionalModifier)
            {
                r.ReadTypeHandle();
                returns = r.ReadSignatureTypeCode();
            }
            // newobj pushes the object it makes and takes no instance; call takes one if the method has it.
            pop = parameters + (header.IsInstance && !newobj ? 1 : 0);
            push = newobj || returns != SignatureTypeCode.Void ? 1 : 0;
            return true;
        }

        /// <summary>Slots of a fixed stack behaviour; -1 for Varpop and Varpush.</summary>
        private static int Count(StackBehaviour b)
        {
            switch (b)
            {
                case StackBehaviour.Pop0:
                case StackBehaviour.Push0:
                    return 0;
                case StackBehaviour.Pop1:
                case StackBehaviour.Popi:
                case StackBehaviour.Popref:
                case StackBehaviour.Push1:
                case StackBehaviour.Pushi:
                case StackBehaviour.Pushi8:
                case StackBehaviour.Pushr4:
                case StackBehaviour.Pushr8:
                case StackBehaviour.Pushref:
                    return 1;
                case StackBehaviour.Pop1_pop1:
                case StackBehaviour.Popi_pop1:
                case StackBehaviour.Popi_popi:
                case StackBehaviour.Popi_popi8:
                case StackBehaviour.Popi_popr4:
                case StackBehaviour.Popi_popr8:
                case StackBehaviour.Popref_pop1:
                case StackBehaviour.Popref_popi:
                case StackBehaviour.Push1_push1:
                    return 2;
                case StackBehaviour.Popi_popi_popi:
                case StackBehaviour.Popref_popi_popi:
                case StackBehaviour.Popref_popi_popi8:
                case StackBehaviour.Popref_popi_popr4:
                case StackBehaviour.Popref_popi_popr8:
                case StackBehaviour.Popref_popi_popref:
                case StackBehaviour.Popref_popi_pop1:
                    return 3;
                default:
                    return -1;
            }
        }
    }
}
