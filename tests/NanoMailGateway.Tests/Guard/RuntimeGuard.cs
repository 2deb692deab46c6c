// The runtime guard: reads a compiled assembly with System.Reflection.Metadata and lists
// every construct that the nanoFramework 1.x interpreter cannot run although the C#
// compiler accepts it against nanoFramework's mscorlib, or runs differently from .NET in
// a way that host tests cannot see (ARCHITECTURE.md, Device rules):
//   - generic type and method definitions (GenericParam rows, VAR/MVAR in signatures),
//   - any generic instantiation (GENERICINST in a TypeSpec, field, method, property,
//     local or member-reference signature; MethodSpec rows; base types, interfaces and
//     custom attribute constructors on instantiated types),
//   - multi-dimensional arrays (ELEMENT_TYPE_ARRAY, as opposed to SZARRAY),
//   - pointers (PTR, FNPTR, pinned locals of `fixed`, `localloc` of stackalloc,
//     TypedReference of __makeref),
//   - string arrays whose slots the interpreter leaves as typed empty strings instead of
//     null: every `newarr System.String` but StringArray.New and initializers that store
//     every slot at once (StringArrayRule says exactly which),
//   - overflow-checked arithmetic (add.ovf, mul.ovf, sub.ovf, conv.ovf.*): the interpreter
//     ignores the check (checked((byte)256) is 0, no OverflowException), so code that
//     relies on it is unguarded on the device; ranges are checked explicitly instead,
//   - thread and timer entry points that catch no System.Exception: there an exception
//     that leaves them ends the thread silently (ThreadEntryRule),
//   - static constructors that make objects: nanoCLR runs them all when the assembly
//     loads, so their objects hold the board's heap from boot to the end (StaticDataAtBoot).
// Compiler-generated code counts as much as ours: closures, display classes, embedded
// attributes and state machines are scanned like any other type, and every method body
// is walked for the tokens its IL uses, so a finding names the method that caused it.
// Left out on purpose: argument values inside custom attribute blobs (typeof(G<int>) as
// an attribute argument is a serialized name string, not metadata) and byref-like
// (ref struct) types, which are plain structs with an attribute to the runtime.

using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace NanoMailGateway.Tests.Guard
{
    /// <summary>Scans one assembly. Not thread-safe; make one per scan.</summary>
    public sealed class RuntimeGuard
    {
        private readonly MetadataReader _md;
        private readonly PEReader _pe;
        private readonly List<GuardFinding> _findings = new();
        private readonly HashSet<GuardFinding> _seen = new();
        private readonly SignatureNamer _namer;
        private readonly StringArrayRule _stringArrays;
        private readonly ThreadEntryRule _threadEntries;
        private string _where = "";

        private RuntimeGuard(PEReader pe)
        {
            _pe = pe;
            _md = pe.GetMetadataReader();
            _namer = new SignatureNamer(this);
            _stringArrays = new StringArrayRule(_md);
            _threadEntries = new ThreadEntryRule(_md);
        }

        /// <summary>Scans the assembly at <paramref name="path"/> and returns every finding (empty = clean).</summary>
        public static IReadOnlyList<GuardFinding> Scan(string path)
        {
            using var stream = File.OpenRead(path);
            using var pe = new PEReader(stream);
            var guard = new RuntimeGuard(pe);
            guard.ScanAll();
            return guard._findings;
        }

        private void ScanAll()
        {
            foreach (TypeDefinitionHandle th in _md.TypeDefinitions)
            {
                ScanType(th);
            }
            ScanCustomAttributes();
            ScanLeftoverTables();
            foreach (KeyValuePair<MethodDefinitionHandle, string> entry in _threadEntries.Unguarded(_pe))
            {
                _where = MethodName(entry.Key);
                Report(GuardConstruct.UnguardedThreadEntry, "started by a " + entry.Value + " and catches no System.Exception: "
                    + "on the device an exception leaving it ends the thread silently");
            }
        }

        private void ScanType(TypeDefinitionHandle th)
        {
            TypeDefinition t = _md.GetTypeDefinition(th);
            string typeName = TypeName(th);
            _where = typeName;
            if (t.GetGenericParameters().Count > 0)
            {
                Report(GuardConstruct.GenericTypeDefinition, typeName + " has " + t.GetGenericParameters().Count + " type parameter(s)");
            }
            if (!t.BaseType.IsNil) _namer.Name(t.BaseType, "base type ");
            foreach (InterfaceImplementationHandle ih in t.GetInterfaceImplementations())
            {
                _where = typeName;
                _namer.Name(_md.GetInterfaceImplementation(ih).Interface, "interface ");
            }
            foreach (FieldDefinitionHandle fh in t.GetFields())
            {
                FieldDefinition f = _md.GetFieldDefinition(fh);
                _where = typeName + "." + _md.GetString(f.Name);
                f.DecodeSignature(_namer, null);
                CheckCachedDelegate(t, f);
            }
            foreach (PropertyDefinitionHandle ph in t.GetProperties())
            {
                PropertyDefinition p = _md.GetPropertyDefinition(ph);
                _where = typeName + "." + _md.GetString(p.Name);
                p.DecodeSignature(_namer, null);
            }
            foreach (EventDefinitionHandle eh in t.GetEvents())
            {
                EventDefinition e = _md.GetEventDefinition(eh);
                _where = typeName + "." + _md.GetString(e.Name);
                _namer.Name(e.Type, "event type ");
            }
            foreach (MethodDefinitionHandle mh in t.GetMethods())
            {
                ScanMethod(typeName, mh);
            }
        }

        private void ScanMethod(string typeName, MethodDefinitionHandle mh)
        {
            MethodDefinition m = _md.GetMethodDefinition(mh);
            _where = typeName + "." + _md.GetString(m.Name);
            if (m.GetGenericParameters().Count > 0)
            {
                Report(GuardConstruct.GenericMethodDefinition, _where + " has " + m.GetGenericParameters().Count + " type parameter(s)");
            }
            m.DecodeSignature(_namer, null);
            if (m.RelativeVirtualAddress == 0) return;
            MethodBodyBlock body = _pe.GetMethodBody(m.RelativeVirtualAddress);
            if (!body.LocalSignature.IsNil)
            {
                StandaloneSignature locals = _md.GetStandaloneSignature(body.LocalSignature);
                locals.DecodeLocalSignature(_namer, null);
            }
            ScanIl(mh, body);
        }

        /// <summary>Walks the IL of one body: checks every token it uses and every string array it makes.</summary>
        private void ScanIl(MethodDefinitionHandle mh, MethodBodyBlock block)
        {
            List<IlInstruction> body = IlInstruction.Decode(block.GetILReader());
            foreach (IlInstruction ins in body)
            {
                if (ins.Is(OpCodes.Localloc)) Report(GuardConstruct.Pointer, "stackalloc (localloc)");
                if (ins.HasToken) CheckToken(ins.Operand);
                if (ins.OpCode.Name!.Contains(".ovf", StringComparison.Ordinal))
                {
                    Report(GuardConstruct.OverflowCheck, ins.OpCode.Name + " at IL_" + ins.Offset.ToString("X4")
                        + ": the interpreter ignores overflow checks; check the range explicitly");
                }
            }
            _threadEntries.Note(body);
            CheckStaticConstructor(mh, body);
            if (_stringArrays.IsHelper(mh)) return;
            foreach (int offset in _stringArrays.Unfilled(body, block))
            {
                Report(GuardConstruct.StringArrayWithoutNullSlots, "new string array at IL_" + offset.ToString("X4")
                    + " whose slots are not all stored at once: on the device an unstored slot is not null (make it with "
                    + StringArrayRule.HelperType + "." + StringArrayRule.HelperMethod + ")");
            }
        }

        /// <summary>
        /// A static constructor that makes objects (newobj, newarr, or a call, which may
        /// allocate) builds static data: nanoCLR runs every static constructor when the
        /// assembly loads, and what it makes holds managed heap for the whole run, on a board
        /// with 54-90 KB of it (ARCHITECTURE.md, Memory). Constants stay in the assembly.
        /// </summary>
        private void CheckStaticConstructor(MethodDefinitionHandle mh, List<IlInstruction> body)
        {
            if (_md.GetString(_md.GetMethodDefinition(mh).Name) != ".cctor") return;
            foreach (IlInstruction ins in body)
            {
                if (ins.Is(OpCodes.Newobj) || ins.Is(OpCodes.Newarr) || ins.Is(OpCodes.Call) || ins.Is(OpCodes.Callvirt))
                {
                    Report(GuardConstruct.StaticDataAtBoot, ins.OpCode.Name + " at IL_" + ins.Offset.ToString("X4")
                        + ": a static constructor runs when the assembly loads on the device and what it makes holds heap"
                        + " for the whole run; use const, or build it where it is used");
                    return;
                }
            }
        }

        /// <summary>
        /// A delegate the compiler caches in a static field: a static method group turned into
        /// a delegate implicitly (the nested class "&lt;&gt;O", C# 11 and later) or a lambda that
        /// captures nothing ("&lt;&gt;9__" fields of "&lt;&gt;c"). The first use fills the field and the
        /// delegate then holds heap for the rest of the run, like static data at boot.
        /// </summary>
        private void CheckCachedDelegate(TypeDefinition t, FieldDefinition f)
        {
            if ((f.Attributes & System.Reflection.FieldAttributes.Static) == 0) return;
            string type = _md.GetString(t.Name);
            string field = _md.GetString(f.Name);
            if (type == "<>O" || field.StartsWith("<>9__", StringComparison.Ordinal))
            {
                Report(GuardConstruct.StaticDataAtBoot, "a delegate the compiler caches for the whole run (" + field
                    + "); write new TheDelegate(Method) where it is used");
            }
        }

        private void CheckToken(int token)
        {
            EntityHandle h = MetadataTokens.EntityHandle(token);
            switch (h.Kind)
            {
                case HandleKind.TypeSpecification:
                case HandleKind.TypeReference:
                case HandleKind.TypeDefinition:
                    _namer.Name(h, "");
                    break;
                case HandleKind.MethodSpecification:
                    CheckMethodSpec((MethodSpecificationHandle)h);
                    break;
                case HandleKind.MemberReference:
                    CheckMemberRef((MemberReferenceHandle)h);
                    break;
                case HandleKind.StandaloneSignature:
                    // calli: the call site signature.
                    _md.GetStandaloneSignature((StandaloneSignatureHandle)h).DecodeMethodSignature(_namer, null);
                    break;
                default:
                    // MethodDef and FieldDef are scanned with their own type.
                    break;
            }
        }

        private void CheckMethodSpec(MethodSpecificationHandle h)
        {
            MethodSpecification spec = _md.GetMethodSpecification(h);
            ImmutableArray<string> args = spec.DecodeSignature(_namer, null);
            Report(GuardConstruct.GenericInstantiation, "call of generic method " + MethodName(spec.Method) + "<" + string.Join(",", args) + ">");
        }

        private void CheckMemberRef(MemberReferenceHandle h)
        {
            MemberReference r = _md.GetMemberReference(h);
            if (r.Parent.Kind == HandleKind.TypeSpecification)
            {
                _namer.Name(r.Parent, "member " + _md.GetString(r.Name) + " of ");
            }
            // !0 and !!0 in a referenced member's signature are the parameters of someone
            // else's definition (Action`1::Invoke(!0)); the instantiation itself is reported.
            _namer.SuppressTypeParameters = true;
            try
            {
                if (r.GetKind() == MemberReferenceKind.Method) r.DecodeMethodSignature(_namer, null);
                else r.DecodeFieldSignature(_namer, null);
            }
            finally
            {
                _namer.SuppressTypeParameters = false;
            }
        }

        /// <summary>Custom attributes whose constructor belongs to an instantiated generic attribute (C# 11).</summary>
        private void ScanCustomAttributes()
        {
            foreach (CustomAttributeHandle ch in _md.CustomAttributes)
            {
                CustomAttribute a = _md.GetCustomAttribute(ch);
                _where = "attribute on " + OwnerName(a.Parent);
                if (a.Constructor.Kind == HandleKind.MemberReference) CheckMemberRef((MemberReferenceHandle)a.Constructor);
            }
        }

        /// <summary>
        /// Every row of the tables that can only hold forbidden things, so that nothing
        /// referenced from an unexpected place (a MethodImpl, a constraint) slips through.
        /// Rows already reported with a better location are not repeated.
        /// </summary>
        private void ScanLeftoverTables()
        {
            int before = _findings.Count;
            for (int row = 1; row <= _md.GetTableRowCount(TableIndex.TypeSpec); row++)
            {
                _where = "TypeSpec row " + row;
                _namer.Name(MetadataTokens.TypeSpecificationHandle(row), "");
            }
            for (int row = 1; row <= _md.GetTableRowCount(TableIndex.MethodSpec); row++)
            {
                _where = "MethodSpec row " + row;
                CheckMethodSpec(MetadataTokens.MethodSpecificationHandle(row));
            }
            for (int row = 1; row <= _md.GetTableRowCount(TableIndex.GenericParam); row++)
            {
                GenericParameter p = _md.GetGenericParameter(MetadataTokens.GenericParameterHandle(row));
                _where = OwnerName(p.Parent);
                if (p.Parent.Kind == HandleKind.TypeDefinition)
                {
                    int n = _md.GetTypeDefinition((TypeDefinitionHandle)p.Parent).GetGenericParameters().Count;
                    Report(GuardConstruct.GenericTypeDefinition, _where + " has " + n + " type parameter(s)");
                }
                else
                {
                    int n = _md.GetMethodDefinition((MethodDefinitionHandle)p.Parent).GetGenericParameters().Count;
                    Report(GuardConstruct.GenericMethodDefinition, _where + " has " + n + " type parameter(s)");
                }
            }
            // A leftover is dropped when a member already reported the same thing by name.
            for (int i = _findings.Count - 1; i >= before; i--)
            {
                for (int j = 0; j < before; j++)
                {
                    if (_findings[j].Construct == _findings[i].Construct && _findings[j].Detail.Contains(_findings[i].Detail, StringComparison.Ordinal))
                    {
                        _findings.RemoveAt(i);
                        break;
                    }
                }
            }
        }

        internal MetadataReader Metadata => _md;

        internal void Report(GuardConstruct construct, string detail)
        {
            var f = new GuardFinding(construct, _where, detail);
            if (_seen.Add(f)) _findings.Add(f);
        }

        private string OwnerName(EntityHandle h)
        {
            switch (h.Kind)
            {
                case HandleKind.TypeDefinition:
                    return TypeName((TypeDefinitionHandle)h);
                case HandleKind.MethodDefinition:
                    return MethodName(h);
                case HandleKind.FieldDefinition:
                    FieldDefinition f = _md.GetFieldDefinition((FieldDefinitionHandle)h);
                    return TypeName(f.GetDeclaringType()) + "." + _md.GetString(f.Name);
                case HandleKind.PropertyDefinition:
                    return "property " + _md.GetString(_md.GetPropertyDefinition((PropertyDefinitionHandle)h).Name);
                case HandleKind.Parameter:
                    return "parameter " + _md.GetString(_md.GetParameter((ParameterHandle)h).Name);
                case HandleKind.AssemblyDefinition:
                    return "assembly";
                case HandleKind.ModuleDefinition:
                    return "module";
                default:
                    return h.Kind + " " + MetadataTokens.GetToken(h).ToString("X8");
            }
        }

        private string MethodName(EntityHandle h)
        {
            if (h.Kind == HandleKind.MethodDefinition)
            {
                MethodDefinition m = _md.GetMethodDefinition((MethodDefinitionHandle)h);
                return TypeName(m.GetDeclaringType()) + "." + _md.GetString(m.Name);
            }
            if (h.Kind == HandleKind.MemberReference)
            {
                MemberReference r = _md.GetMemberReference((MemberReferenceHandle)h);
                return _namer.NameQuiet(r.Parent) + "." + _md.GetString(r.Name);
            }
            return h.Kind.ToString();
        }

        internal string TypeName(TypeDefinitionHandle h) => MetadataNames.TypeName(_md, h);

        internal string TypeName(TypeReferenceHandle h) => MetadataNames.TypeName(_md, h);
    }
}
