// Decodes metadata signatures for the runtime guard: turns each signature into a
// readable type name and reports, at the guard's current location, every forbidden
// construct met on the way (GENERICINST, VAR/MVAR, ARRAY, PTR, FNPTR, pinned,
// TypedReference). Custom modifiers (modreq IsVolatile, modreq InAttribute) are
// transparent: the runtime ignores them.

using System.Collections.Immutable;
using System.Reflection.Metadata;

namespace NanoMailGateway.Tests.Guard
{
    /// <summary>
    /// Turns signatures into readable type names and reports, at the guard's current
    /// location, each forbidden construct met on the way.
    /// </summary>
    internal sealed class SignatureNamer : ISignatureTypeProvider<string, object?>
    {
        private readonly RuntimeGuard _g;
        private bool _quiet;

        /// <summary>Set while decoding a referenced member's signature.</summary>
        public bool SuppressTypeParameters { get; set; }

        public SignatureNamer(RuntimeGuard guard)
        {
            _g = guard;
        }

        /// <summary>Names a TypeDef, TypeRef or TypeSpec, reporting what the spec contains.</summary>
        public string Name(EntityHandle h, string prefix)
        {
            switch (h.Kind)
            {
                case HandleKind.TypeDefinition:
                    return _g.TypeName((TypeDefinitionHandle)h);
                case HandleKind.TypeReference:
                    return _g.TypeName((TypeReferenceHandle)h);
                case HandleKind.TypeSpecification:
                    string saved = _prefix;
                    _prefix = prefix;
                    try
                    {
                        return _g.Metadata.GetTypeSpecification((TypeSpecificationHandle)h).DecodeSignature(this, null);
                    }
                    finally
                    {
                        _prefix = saved;
                    }
                default:
                    return h.Kind.ToString();
            }
        }

        /// <summary>Names a type without reporting (for the text of a finding).</summary>
        public string NameQuiet(EntityHandle h)
        {
            bool saved = _quiet;
            _quiet = true;
            try
            {
                return Name(h, "");
            }
            finally
            {
                _quiet = saved;
            }
        }

        private string _prefix = "";

        private void Report(GuardConstruct c, string detail)
        {
            if (!_quiet) _g.Report(c, _prefix + detail);
        }

        public string GetArrayType(string elementType, ArrayShape shape)
        {
            string name = elementType + "[" + new string(',', shape.Rank - 1) + "]";
            Report(GuardConstruct.MultiDimensionalArray, name);
            return name;
        }

        public string GetByReferenceType(string elementType) => elementType + "&";

        public string GetFunctionPointerType(MethodSignature<string> signature)
        {
            string name = "delegate*<" + string.Join(",", signature.ParameterTypes) + (signature.ParameterTypes.Length > 0 ? "," : "") + signature.ReturnType + ">";
            Report(GuardConstruct.FunctionPointer, name);
            return name;
        }

        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments)
        {
            string name = genericType + "<" + string.Join(",", typeArguments) + ">";
            Report(GuardConstruct.GenericInstantiation, name);
            return name;
        }

        public string GetGenericMethodParameter(object? genericContext, int index)
        {
            if (!SuppressTypeParameters) Report(GuardConstruct.GenericMethodDefinition, "method type parameter !!" + index);
            return "!!" + index;
        }

        public string GetGenericTypeParameter(object? genericContext, int index)
        {
            if (!SuppressTypeParameters) Report(GuardConstruct.GenericTypeDefinition, "type parameter !" + index);
            return "!" + index;
        }

        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;

        public string GetPinnedType(string elementType)
        {
            Report(GuardConstruct.Pointer, "pinned local " + elementType + " (fixed)");
            return elementType + " pinned";
        }

        public string GetPointerType(string elementType)
        {
            string name = elementType + "*";
            Report(GuardConstruct.Pointer, name);
            return name;
        }

        public string GetPrimitiveType(PrimitiveTypeCode typeCode)
        {
            if (typeCode == PrimitiveTypeCode.TypedReference) Report(GuardConstruct.Pointer, "TypedReference (__makeref)");
            return typeCode.ToString();
        }

        public string GetSZArrayType(string elementType) => elementType + "[]";

        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => _g.TypeName(handle);

        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => _g.TypeName(handle);

        public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);
    }
}
