// A rule of the runtime guard: every method that a thread or a timer starts with
// (a ThreadStart or TimerCallback delegate made from one of this assembly's methods)
// must catch System.Exception somewhere in its body. On the nanoFramework interpreter
// an exception that leaves a thread's method ends that thread silently while the
// program lives on (.NET ends the whole process instead, so host tests never see it):
// an accept loop or a queue runner that dies this way is a gateway that stops working
// without a word (ARCHITECTURE.md, Device rules).
// How it finds them: `ldftn M` directly followed by `newobj` of the delegate's
// constructor, which is what the C# compiler emits for `new Thread(M)`, a method group
// and a lambda alike. Left out on purpose: whether the catch covers the whole body (a
// reader checks that; the rule only makes sure nobody forgot), delegates made from
// another assembly's methods, and `ldvirtftn` (virtual entry points; none in firmware).

using System.Collections.Generic;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace NanoMailGateway.Tests.Guard
{
    /// <summary>Collects thread and timer entry points while the guard walks bodies, then checks them. One per scan.</summary>
    public sealed class ThreadEntryRule
    {
        /// <summary>The delegate types whose target runs as a thread's or a timer's outermost method.</summary>
        private static readonly string[] EntryDelegates = { "System.Threading.ThreadStart", "System.Threading.TimerCallback" };

        private readonly MetadataReader _md;
        private readonly Dictionary<MethodDefinitionHandle, string> _entries = new();

        public ThreadEntryRule(MetadataReader md) { _md = md; }

        /// <summary>Notes every entry point that <paramref name="body"/> hands to a thread or a timer.</summary>
        public void Note(IReadOnlyList<IlInstruction> body)
        {
            for (int i = 0; i + 1 < body.Count; i++)
            {
                if (!body[i].Is(OpCodes.Ldftn) || !body[i + 1].Is(OpCodes.Newobj)) continue;
                EntityHandle target = MetadataTokens.EntityHandle(body[i].Operand);
                if (target.Kind != HandleKind.MethodDefinition) continue;
                string? delegateType = ConstructedType(MetadataTokens.EntityHandle(body[i + 1].Operand));
                if (delegateType != null && System.Array.IndexOf(EntryDelegates, delegateType) >= 0)
                {
                    _entries[(MethodDefinitionHandle)target] = delegateType;
                }
            }
        }

        /// <summary>Entry points noted so far whose body has no catch of System.Exception, with the delegate type.</summary>
        public IEnumerable<KeyValuePair<MethodDefinitionHandle, string>> Unguarded(PEReader pe)
        {
            foreach (KeyValuePair<MethodDefinitionHandle, string> entry in _entries)
            {
                MethodDefinition m = _md.GetMethodDefinition(entry.Key);
                if (m.RelativeVirtualAddress == 0 || !CatchesException(pe.GetMethodBody(m.RelativeVirtualAddress))) yield return entry;
            }
        }

        private bool CatchesException(MethodBodyBlock body)
        {
            foreach (ExceptionRegion r in body.ExceptionRegions)
            {
                if (r.Kind == ExceptionRegionKind.Catch && r.CatchType.Kind == HandleKind.TypeReference
                    && MetadataNames.TypeName(_md, (TypeReferenceHandle)r.CatchType) == "System.Exception")
                {
                    return true;
                }
            }
            return false;
        }

        /// <summary>The full name of the type whose constructor <paramref name="ctor"/> is, if it is a referenced type.</summary>
        private string? ConstructedType(EntityHandle ctor)
        {
            if (ctor.Kind != HandleKind.MemberReference) return null;
            EntityHandle parent = _md.GetMemberReference((MemberReferenceHandle)ctor).Parent;
            return parent.Kind == HandleKind.TypeReference ? MetadataNames.TypeName(_md, (TypeReferenceHandle)parent) : null;
        }
    }
}
