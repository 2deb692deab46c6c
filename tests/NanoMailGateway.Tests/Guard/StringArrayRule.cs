// The runtime guard's rule for string arrays. On the nanoFramework 1.x interpreter the
// slots of a fresh string array are not null but typed empty strings: `a[i] == null` is
// false, `a[i] == "x"` crashes the runtime, `a[i].Length` throws. Only a store makes a
// slot safe, so a `newarr System.String` is accepted in exactly two shapes:
//   1. inside StringArray.New (firmware/NanoMailGateway.Core.Platform/Text/StringArray.cs,
//      in the Platform assembly), which stores null into every slot;
//   2. with a constant length N >= 1 pushed right before it, followed at once by stores
//      into index 0, 1, ..., N-1, in that order, while the array is still only on the
//      evaluation stack: `dup; ldc.i4 k; <value>; stelem.ref` for each k. That is what
//      the compiler emits for an initializer or collection expression that lists every
//      element, for a params string[] argument list and for a concatenation of more
//      than four strings, and nothing else can read the array before the last store.
// Everything else is reported, with no judgement about what happens later: `new
// string[n]` however soon a loop fills it; `{ null, "a" }`, because the compiler stores
// nothing for a constant null element (the slot keeps what newarr made); and length 0,
// which has no slot to read but goes through StringArray.New(0) all the same, so that
// "a string array that does not list its elements comes from StringArray.New" has no
// exception to remember.
// To know which stelem.ref stores slot k, the rule counts the stack through the value
// expression (calls by their signatures, forward branches by the depth at their target);
// anything it cannot follow (a backward branch, a jump in from outside, ret, throw,
// leave, switch, calli, a pop below the array and index) counts as not stored: the rule
// may reject a shape it could have accepted, never the other way round.

using System.Collections.Generic;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using NanoMailGateway.Core.Text;

namespace NanoMailGateway.Tests.Guard
{
    /// <summary>Finds string arrays whose slots the interpreter would leave non-null.</summary>
    internal sealed class StringArrayRule
    {
        /// <summary>The one place allowed to make string arrays of any length.</summary>
        public static readonly string HelperAssembly = typeof(StringArray).Assembly.GetName().Name!;
        public static readonly string HelperType = typeof(StringArray).FullName!;
        public const string HelperMethod = nameof(StringArray.New);

        private readonly MetadataReader _md;
        private readonly IlStackEffect _stack;

        public StringArrayRule(MetadataReader md)
        {
            _md = md;
            _stack = new IlStackEffect(md);
        }

        /// <summary>True for StringArray.New in the Platform assembly, whose newarr stores null into every slot.</summary>
        public bool IsHelper(MethodDefinitionHandle mh)
        {
            if (!_md.IsAssembly || _md.GetString(_md.GetAssemblyDefinition().Name) != HelperAssembly) return false;
            MethodDefinition m = _md.GetMethodDefinition(mh);
            TypeDefinition t = _md.GetTypeDefinition(m.GetDeclaringType());
            return _md.GetString(m.Name) == HelperMethod
                && t.GetDeclaringType().IsNil
                && _md.GetString(t.Namespace) + "." + _md.GetString(t.Name) == HelperType;
        }

        /// <summary>The IL offsets of every newarr System.String in <paramref name="body"/> that is not in shape 2 above.</summary>
        public IEnumerable<int> Unfilled(IReadOnlyList<IlInstruction> body, MethodBodyBlock block)
        {
            HashSet<int>? entries = null;
            for (int i = 0; i < body.Count; i++)
            {
                if (!body[i].Is(OpCodes.Newarr) || !IsSystemString(body[i].Operand)) continue;
                entries ??= EntryPoints(body, block);
                if (!StoresEverySlot(body, i, entries)) yield return body[i].Offset;
            }
        }

        private bool IsSystemString(int token)
        {
            EntityHandle h = MetadataTokens.EntityHandle(token);
            if (h.Kind != HandleKind.TypeReference) return false;
            TypeReference t = _md.GetTypeReference((TypeReferenceHandle)h);
            return t.ResolutionScope.Kind != HandleKind.TypeReference
                && _md.GetString(t.Namespace) == "System" && _md.GetString(t.Name) == "String";
        }

        /// <summary>Offsets control can reach other than by falling through: branch targets and exception-region starts.</summary>
        private static HashSet<int> EntryPoints(IReadOnlyList<IlInstruction> body, MethodBodyBlock block)
        {
            var entries = new HashSet<int>();
            foreach (IlInstruction ins in body)
            {
                if (ins.IsBranch) entries.Add(ins.Operand);
                foreach (int t in ins.SwitchTargets) entries.Add(t);
            }
            foreach (ExceptionRegion r in block.ExceptionRegions)
            {
                entries.Add(r.TryOffset);
                entries.Add(r.HandlerOffset);
                if (r.Kind == ExceptionRegionKind.Filter) entries.Add(r.FilterOffset);
            }
            return entries;
        }

        /// <summary>Shape 2: body[at] is newarr, after a constant N >= 1, and slots 0..N-1 are stored in order at once.</summary>
        private bool StoresEverySlot(IReadOnlyList<IlInstruction> body, int at, HashSet<int> entries)
        {
            if (at == 0 || body[at - 1].Int32Constant is not int length || length < 1) return false;
            if (entries.Contains(body[at].Offset)) return false; // the length may come from elsewhere
            // depth counts the stack above what was there before newarr: 1 = the array alone,
            // 3 = array, its copy and the index; a value expression stays at 3 or above.
            var depthAt = new Dictionary<int, int>(); // forward branch targets not reached yet, and their depth
            int depth = 1;
            int slot = 0;
            bool fallsThrough = true;
            for (int i = at + 1; i < body.Count; i++)
            {
                IlInstruction ins = body[i];
                if (depthAt.Remove(ins.Offset, out int joined))
                {
                    if (fallsThrough && joined != depth) return false;
                    depth = joined;
                }
                else if (!fallsThrough || entries.Contains(ins.Offset))
                {
                    return false; // dead code, or entered from outside the initializer
                }
                fallsThrough = true;

                if (depth == 1)
                {
                    if (!ins.Is(OpCodes.Dup)) return false;
                    depth = 2;
                    continue;
                }
                if (depth == 2)
                {
                    if (ins.Int32Constant != slot) return false;
                    depth = 3;
                    continue;
                }
                if (depth == 4 && ins.Is(OpCodes.Stelem_Ref))
                {
                    // Pops the value, the index and the copy: slot k is stored.
                    slot++;
                    if (slot == length) return depthAt.Count == 0; // no branch left to land past the stores
                    depth = 1;
                    continue;
                }
                if (!Follow(ins, ref depth, ref fallsThrough, depthAt)) return false;
            }
            return false;
        }

        /// <summary>One instruction of a value expression; false when it leaves the expression or its stack.</summary>
        private bool Follow(IlInstruction ins, ref int depth, ref bool fallsThrough, Dictionary<int, int> depthAt)
        {
            FlowControl flow = ins.OpCode.FlowControl;
            if (flow == FlowControl.Return || flow == FlowControl.Throw) return false;
            if (ins.Is(OpCodes.Leave) || ins.Is(OpCodes.Leave_S) || ins.Is(OpCodes.Switch) || ins.Is(OpCodes.Jmp)) return false;
            if (!_stack.TryGet(ins, out int pop, out int push)) return false;
            if (depth - pop < 3) return false; // would take the array or the index
            depth = depth - pop + push;
            if (!ins.IsBranch) return true;
            if (ins.Operand <= ins.Offset) return false;
            if (depthAt.TryGetValue(ins.Operand, out int known) && known != depth) return false;
            depthAt[ins.Operand] = depth;
            fallsThrough = flow != FlowControl.Branch;
            return true;
        }
    }
}
