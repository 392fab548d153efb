using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Warren.Generators.Common;
using Warren.Generators.Model;
using static Warren.Generators.ContractRules;

namespace Warren.Generators;

public sealed partial class WarrenGenerator
{
    internal static partial class Parser
    {
        /// <summary>
        /// The JSON Schemas of types as System.Text.Json writes them with <c>JsonSerializerDefaults.Web</c>: public
        /// properties (and <c>[JsonInclude]</c> members) in camelCase unless <c>[JsonPropertyName]</c> renames them, without
        /// <c>[JsonIgnore]</c> ones; enums as numbers unless a <c>JsonStringEnumConverter</c> is attached; collections as
        /// arrays, string-keyed dictionaries as maps; other classes as component schemas, collected here by name.
        /// </summary>
        internal sealed class SchemaCollector
        {
            private readonly Dictionary<string, SchemaSpec?> _schemas = new(System.StringComparer.Ordinal);

            public EquatableArray<SchemaSpec> Schemas => _schemas.Values
                .Where(s => s is not null)
                .Select(s => s!)
                .OrderBy(s => s.Name, System.StringComparer.Ordinal)
                .ToEquatableArray();

            /// <summary>The schema of an object type, added with the types it refers to; returns its component name.</summary>
            public string AddObject(INamedTypeSymbol type)
            {
                string name = SchemaName(type);
                if (_schemas.ContainsKey(name))
                {
                    return name;
                }

                // Reserve the name first: a type that refers to itself (a tree) must not recurse forever.
                _schemas[name] = null;
                var properties = new List<SchemaProperty>();
                var seen = new HashSet<string>(System.StringComparer.Ordinal);
                for (INamedTypeSymbol? current = type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
                {
                    foreach (ISymbol member in current.GetMembers())
                    {
                        if (SerializedMember(member) is not { } serialized || !seen.Add(member.Name))
                        {
                            continue;
                        }

                        string jsonName = StringArgument(member, "System.Text.Json.Serialization.JsonPropertyNameAttribute") ?? CamelCase(member.Name);
                        bool required = (member is IPropertySymbol { IsRequired: true } or IFieldSymbol { IsRequired: true })
                            || HasAttribute(member, "System.Text.Json.Serialization.JsonRequiredAttribute");
                        properties.Add(new SchemaProperty(jsonName, TypeOf(serialized, member), required, LocationInfo.From(member.Locations.FirstOrDefault())));
                    }
                }

                var derived = new List<DerivedSchema>();
                foreach ((INamedTypeSymbol derivedType, bool hasDiscriminator, AttributeData attribute) in ListedDerivedTypes(type))
                {
                    if (hasDiscriminator && attribute.ConstructorArguments[1].Value is { } value)
                    {
                        string discriminator = value is string text ? JsonNodeText(text) : System.Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!;
                        derived.Add(new DerivedSchema(discriminator, AddObject(derivedType)));
                    }
                }

                _schemas[name] = new SchemaSpec(
                    name,
                    FullName(type),
                    properties.OrderBy(p => p.JsonName, System.StringComparer.Ordinal).ToEquatableArray(),
                    derived.Count == 0 ? null : DiscriminatorPropertyOf(type),
                    derived.OrderBy(d => d.Discriminator, System.StringComparer.Ordinal).ToEquatableArray(),
                    type.IsAbstract);
                return name;
            }

            /// <summary><c>[JsonPolymorphic(TypeDiscriminatorPropertyName = ...)]</c>, else System.Text.Json's <c>$type</c>.</summary>
            private static string DiscriminatorPropertyOf(INamedTypeSymbol type) =>
                type.GetAttributes()
                    .Where(a => MetadataName(a.AttributeClass) == KnownNames.JsonPolymorphicAttribute)
                    .SelectMany(a => a.NamedArguments)
                    .Where(a => a.Key == "TypeDiscriminatorPropertyName" && a.Value.Value is string { Length: > 0 })
                    .Select(a => (string)a.Value.Value!)
                    .FirstOrDefault() ?? "$type";

            private static string JsonNodeText(string text) => new JsonString(text).ToJson();

            /// <summary>The JSON type of a value of <paramref name="type"/>; <paramref name="member"/> may carry a converter attribute.</summary>
            public JsonType TypeOf(ITypeSymbol type, ISymbol? member = null)
            {
                bool nullable = type.NullableAnnotation == NullableAnnotation.Annotated;
                if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } wrapper)
                {
                    return TypeOf(wrapper.TypeArguments[0], member) with { Nullable = true };
                }

                JsonType core = CoreType(type, member);
                return nullable ? core with { Nullable = true } : core;
            }

            private JsonType CoreType(ITypeSymbol type, ISymbol? member)
            {
                switch (type.SpecialType)
                {
                    case SpecialType.System_String:
                    case SpecialType.System_Char:
                        return new JsonType("string");
                    case SpecialType.System_Boolean:
                        return new JsonType("boolean");
                    case SpecialType.System_Byte:
                    case SpecialType.System_SByte:
                    case SpecialType.System_Int16:
                    case SpecialType.System_UInt16:
                    case SpecialType.System_Int32:
                        return new JsonType("integer", "int32");
                    case SpecialType.System_UInt32:
                    case SpecialType.System_Int64:
                    case SpecialType.System_UInt64:
                        return new JsonType("integer", "int64");
                    case SpecialType.System_Single:
                        return new JsonType("number", "float");
                    case SpecialType.System_Double:
                        return new JsonType("number", "double");
                    case SpecialType.System_Decimal:
                        return new JsonType("number");
                    case SpecialType.System_DateTime:
                        return new JsonType("string", "date-time");
                    case SpecialType.System_Object:
                        return new JsonType("any");
                }

                if (type is IArrayTypeSymbol array)
                {
                    return array.ElementType.SpecialType == SpecialType.System_Byte
                        ? new JsonType("string", "byte")
                        : new JsonType("array", Items: TypeOf(array.ElementType));
                }

                if (type is not INamedTypeSymbol named)
                {
                    return new JsonType("any");
                }

                if (named.TypeKind == TypeKind.Enum)
                {
                    bool asString = HasStringEnumConverter(member) || HasStringEnumConverter(named);
                    return asString
                        ? new JsonType("string", EnumValues: named.GetMembers().OfType<IFieldSymbol>().Where(f => f.HasConstantValue).Select(f => f.Name).ToEquatableArray())
                        : new JsonType("integer", named.EnumUnderlyingType?.SpecialType is SpecialType.System_Int64 or SpecialType.System_UInt64 or SpecialType.System_UInt32 ? "int64" : "int32");
                }

                switch (MetadataName(named.OriginalDefinition))
                {
                    case "System.DateTimeOffset":
                        return new JsonType("string", "date-time");
                    case "System.DateOnly":
                        return new JsonType("string", "date");
                    case "System.TimeOnly":
                    case "System.TimeSpan":
                        return new JsonType("string", "time");
                    case "System.Guid":
                        return new JsonType("string", "uuid");
                    case "System.Uri":
                        return new JsonType("string", "uri");
                    case "System.Half":
                        return new JsonType("number", "float");
                    case "System.Int128":
                    case "System.UInt128":
                        return new JsonType("integer");
                    case "System.Text.Json.JsonElement":
                    case "System.Text.Json.Nodes.JsonNode":
                    case "System.Text.Json.Nodes.JsonObject":
                        return new JsonType("any");
                }

                if (DictionaryValue(named) is { } value)
                {
                    return new JsonType("map", Items: TypeOf(value));
                }

                if (ElementType(named) is { } element)
                {
                    return new JsonType("array", Items: TypeOf(element));
                }

                return named.TypeKind is TypeKind.Class or TypeKind.Struct or TypeKind.Interface && !IsFrameworkType(named)
                    ? new JsonType("ref", Ref: AddObject(named))
                    : new JsonType("any");
            }

            /// <summary>
            /// A non-generic .NET class or interface not handled above (a stream, reflection metadata, a client, a task):
            /// not a data contract, so it is not walked. Walking one would describe the framework's object graph, thousands
            /// of types (MethodInfo reaches Assembly, Module, Type, ...); the analyzers report such a property
            /// (WARREN008/021). Framework structs and generic types (KeyValuePair, tuples) are data and are walked.
            /// </summary>
            private static bool IsFrameworkType(INamedTypeSymbol type)
            {
                if (type.IsGenericType || type.TypeKind == TypeKind.Struct)
                {
                    return false;
                }

                string? ns = type.ContainingNamespace is { IsGlobalNamespace: false } containing ? containing.ToDisplayString() : null;
                return ns is not null && (ns == "System" || ns.StartsWith("System.", System.StringComparison.Ordinal)
                    || ns == "Microsoft" || ns.StartsWith("Microsoft.", System.StringComparison.Ordinal));
            }

            /// <summary>The value type of a dictionary System.Text.Json writes as an object: keyed by string, or by a number or enum.</summary>
            private static ITypeSymbol? DictionaryValue(INamedTypeSymbol type)
            {
                foreach (INamedTypeSymbol candidate in new[] { type }.Concat(type.AllInterfaces))
                {
                    string? name = MetadataName(candidate.OriginalDefinition);
                    if (name is "System.Collections.Generic.IDictionary`2" or "System.Collections.Generic.IReadOnlyDictionary`2")
                    {
                        return candidate.TypeArguments[1];
                    }
                }

                return null;
            }

            private static ITypeSymbol? ElementType(INamedTypeSymbol type)
            {
                if (type.SpecialType == SpecialType.System_String)
                {
                    return null;
                }

                foreach (INamedTypeSymbol candidate in new[] { type }.Concat(type.AllInterfaces))
                {
                    if (MetadataName(candidate.OriginalDefinition) == "System.Collections.Generic.IEnumerable`1")
                    {
                        return candidate.TypeArguments[0];
                    }
                }

                return null;
            }

            /// <summary>The type a member is written as, or null when System.Text.Json leaves it out.</summary>
            private static ITypeSymbol? SerializedMember(ISymbol member)
            {
                if (member.IsStatic || member.IsImplicitlyDeclared && member is IFieldSymbol)
                {
                    return null;
                }

                if (member.GetAttributes().Any(a => MetadataName(a.AttributeClass) == "System.Text.Json.Serialization.JsonIgnoreAttribute" && IgnoresAlways(a))
                    || HasAttribute(member, "System.Text.Json.Serialization.JsonExtensionDataAttribute"))
                {
                    return null;
                }

                bool included = HasAttribute(member, "System.Text.Json.Serialization.JsonIncludeAttribute");
                return member switch
                {
                    IPropertySymbol { IsIndexer: false, GetMethod: { } getter } property
                        when getter.DeclaredAccessibility == Accessibility.Public && member.DeclaredAccessibility == Accessibility.Public || included
                        => property.Type,
                    IFieldSymbol field when included => field.Type,
                    _ => null,
                };
            }

            /// <summary><c>[JsonIgnore]</c> without a condition, or with <c>Always</c>, leaves the member out; the other conditions only skip some values.</summary>
            private static bool IgnoresAlways(AttributeData ignore)
            {
                foreach (KeyValuePair<string, TypedConstant> argument in ignore.NamedArguments)
                {
                    if (argument.Key == "Condition" && argument.Value.Value is int condition)
                    {
                        return condition == 1;
                    }
                }

                return true;
            }

            private static bool HasStringEnumConverter(ISymbol? symbol) =>
                symbol is not null && symbol.GetAttributes().Any(a =>
                    MetadataName(a.AttributeClass) == KnownNames.JsonConverterAttribute
                    && a.ConstructorArguments.Length == 1
                    && a.ConstructorArguments[0].Value is INamedTypeSymbol converter
                    && MetadataName(converter.OriginalDefinition) is "System.Text.Json.Serialization.JsonStringEnumConverter" or "System.Text.Json.Serialization.JsonStringEnumConverter`1");

            private static bool HasAttribute(ISymbol symbol, string metadataName) =>
                symbol.GetAttributes().Any(a => MetadataName(a.AttributeClass) == metadataName);

            private static string? StringArgument(ISymbol symbol, string attributeName) =>
                symbol.GetAttributes().FirstOrDefault(a => MetadataName(a.AttributeClass) == attributeName) is { } attribute ? NameArgument(attribute) : null;

            /// <summary><c>JsonNamingPolicy.CamelCase</c>: the leading run of capitals is lowered, but for the last of a run followed by a lowercase letter.</summary>
            private static string CamelCase(string name)
            {
                if (name.Length == 0 || !char.IsUpper(name[0]))
                {
                    return name;
                }

                char[] chars = name.ToCharArray();
                for (int i = 0; i < chars.Length; i++)
                {
                    if (i == 1 && !char.IsUpper(chars[i]))
                    {
                        break;
                    }

                    bool hasNext = i + 1 < chars.Length;
                    if (i > 0 && hasNext && !char.IsUpper(chars[i + 1]))
                    {
                        if (chars[i + 1] == ' ')
                        {
                            chars[i] = char.ToLowerInvariant(chars[i]);
                        }

                        break;
                    }

                    chars[i] = char.ToLowerInvariant(chars[i]);
                }

                return new string(chars);
            }
        }

        /// <summary>A component schema's name: the CLR full name, with anything but letters, digits, '.', '-' and '_' as '_'.</summary>
        internal static string SchemaName(INamedTypeSymbol type)
        {
            string name = type.IsGenericType
                ? FullName(type) + "_" + string.Join("_", type.TypeArguments.Select(t => t is INamedTypeSymbol n ? SchemaName(n) : t.Name))
                : FullName(type);
            return new string(name.Select(c => char.IsLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_').ToArray());
        }
    }
}
