// Names of types as the guard and budget reports print them: Namespace.Outer+Inner, read
// from System.Reflection.Metadata rows. Left out: generic arity and arguments (the names
// keep the `1 suffix the compiler gives them) and assembly qualification.

using System.Reflection.Metadata;

namespace NanoMailGateway.Tests.Guard
{
    public static class MetadataNames
    {
        /// <summary>Namespace.Outer+Inner of a type defined in the assembly.</summary>
        public static string TypeName(MetadataReader md, TypeDefinitionHandle h)
        {
            TypeDefinition t = md.GetTypeDefinition(h);
            string name = md.GetString(t.Name);
            if (!t.GetDeclaringType().IsNil) return TypeName(md, t.GetDeclaringType()) + "+" + name;
            return Qualify(md.GetString(t.Namespace), name);
        }

        /// <summary>Namespace.Outer+Inner of a type another assembly defines.</summary>
        public static string TypeName(MetadataReader md, TypeReferenceHandle h)
        {
            TypeReference t = md.GetTypeReference(h);
            string name = md.GetString(t.Name);
            if (t.ResolutionScope.Kind == HandleKind.TypeReference) return TypeName(md, (TypeReferenceHandle)t.ResolutionScope) + "+" + name;
            return Qualify(md.GetString(t.Namespace), name);
        }

        private static string Qualify(string ns, string name) => ns.Length == 0 ? name : ns + "." + name;
    }
}
