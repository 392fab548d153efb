using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Warren.Generators.Common;
using Warren.Generators.Model;
using static Warren.Generators.ContractRules;

namespace Warren.Generators;

public sealed partial class WarrenGenerator
{
    /// <summary>
    /// Turns symbols into models. Input it cannot use (half-typed code, a missing property) yields no model rather than
    /// an exception: such mistakes are the analyzer's to report; the generator stays quiet.
    /// </summary>
    internal static partial class Parser
    {
        // The generator knows Warren's attributes by metadata name, as ForAttributeWithMetadataName finds them.
        private static readonly System.Func<INamedTypeSymbol?, ExchangeKindSpec?> RoutingKindByName =
            static attributeClass => RoutingKindOf(MetadataName(attributeClass));

        public static MessageSpec? ParseMessage(GeneratorAttributeSyntaxContext context, ExchangeKindSpec kind, CancellationToken cancellationToken)
        {
            if (context.TargetSymbol is not INamedTypeSymbol type || !IsUsable(type) || context.Attributes.IsEmpty)
            {
                return null;
            }

            AttributeData attribute = context.Attributes[0];
            if (FirstRoutingAttribute(type, RoutingKindByName) is not { } firstRouting
                || !SymbolEqualityComparer.Default.Equals(firstRouting.Attribute.AttributeClass, attribute.AttributeClass))
            {
                return null;
            }

            if (NameArgument(attribute) is not { } name)
            {
                return null;
            }

            cancellationToken.ThrowIfCancellationRequested();
            string? template = NamedString(attribute, "RoutingKey");
            EquatableArray<RoutingKeySegment> routingKey = EquatableArray<RoutingKeySegment>.Empty;
            if (template is not null)
            {
                ImmutableArray<RoutingKeySegment>? segments = ParseTemplate(type, template);
                if (segments is null)
                {
                    return null;
                }

                routingKey = new EquatableArray<RoutingKeySegment>(segments.Value);
            }

            string fullName = FullName(type);
            AttributeData? message = MessageAttributeOf(type);
            AttributeData? durable = FindAttribute(type, KnownNames.DurableAttribute);
            // Only a queue has a type; on an exchange message the analyzer warns that it has no effect.
            bool typedQueue = kind == ExchangeKindSpec.Queue;
            return new MessageSpec(
                TypeName: type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
                MessageType: WireName(type, message),
                Aliases: MessageAliases(message).ToEquatableArray(),
                DescriptorName: Identifier(fullName) + "_MessageDescriptor",
                HintName: fullName + ".Message.g.cs",
                Kind: kind,
                Name: name,
                Durable: durable is not null,
                QueueType: typedQueue ? QueueTypeOf(durable) : QueueTypeSpec.Classic,
                DeliveryLimit: typedQueue ? DeliveryLimitOf(durable) : 0,
                Arguments: typedQueue ? QueueArgumentsOf(FindAttribute(type, KnownNames.QueueArgumentsAttribute), singleActive: false) : null,
                Mandatory: attribute.NamedArguments.Any(a => a.Key == "Mandatory" && a.Value.Value is true),
                HasRoutingKeyTemplate: template is not null,
                RoutingKey: routingKey,
                Headers: HeadersOf(type).ToEquatableArray(),
                DerivedTypes: DerivedMessages(type));
        }

        /// <summary>The <c>[Header]</c> properties of a message type, in declaration order.</summary>
        private static IEnumerable<HeaderSpec> HeadersOf(INamedTypeSymbol type)
        {
            foreach (IPropertySymbol property in ReadableProperties(type))
            {
                AttributeData? header = property.GetAttributes().FirstOrDefault(a => MetadataName(a.AttributeClass) == KnownNames.HeaderAttribute);
                // Half-typed code ("string" with no name yet) gives a property without a name: nothing to read.
                if (property.Name.Length > 0 && header is not null && NameArgument(header) is { } headerName)
                {
                    yield return new HeaderSpec(headerName, property.Name, FormatOf(property.Type));
                }
            }
        }

        /// <summary>
        /// The derived types published as <paramref name="type"/>: listed by its <c>[JsonDerivedType]</c>, usable by generated
        /// code, and with <paramref name="type"/> as their nearest routed base (WARREN019 reports the unlisted ones).
        /// </summary>
        private static EquatableArray<DerivedMessageSpec> DerivedMessages(INamedTypeSymbol type) =>
            ListedDerivedTypes(type)
                .Select(listed => listed.Type)
                .Where(derived => IsUsable(derived) && SymbolEqualityComparer.Default.Equals(MessageBaseOf(derived, RoutingKindByName), type))
                .Distinct<INamedTypeSymbol>(SymbolEqualityComparer.Default)
                .Select(derived => new DerivedMessageSpec(
                    derived.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
                    Identifier(FullName(derived)) + "_MessageDescriptor"))
                .ToEquatableArray();

        public static ConsumerSpec? ParseConsumer(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            if (context.TargetSymbol is not INamedTypeSymbol { TypeKind: TypeKind.Class } type || !IsUsable(type) || type.IsAbstract || context.Attributes.IsEmpty)
            {
                return null;
            }

            INamedTypeSymbol? consumerInterface = type.AllInterfaces.FirstOrDefault(i => MetadataName(i.OriginalDefinition) == KnownNames.ConsumerInterface);
            if (consumerInterface is null || consumerInterface.TypeArguments[0] is not INamedTypeSymbol messageType || messageType.TypeKind == TypeKind.Error)
            {
                return null;
            }

            cancellationToken.ThrowIfCancellationRequested();
            AttributeData consumer = context.Attributes[0];
            int prefetch = consumer.NamedArguments.FirstOrDefault(a => a.Key == "Prefetch").Value.Value is ushort p ? p : 0;

            var bindingKeys = new List<string>();
            var headerBindings = new List<HeaderBindingSpec>();
            foreach (AttributeData attribute in type.GetAttributes())
            {
                string? attributeName = MetadataName(attribute.AttributeClass);
                if (attributeName == KnownNames.BindAttribute && attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string key)
                {
                    bindingKeys.Add(key);
                }
                else if (attributeName == KnownNames.BindHeadersAttribute && attribute.ConstructorArguments.Length == 2
                    && attribute.ConstructorArguments[0].Value is int match
                    && attribute.ConstructorArguments[1].Kind == TypedConstantKind.Array
                    && !attribute.ConstructorArguments[1].IsNull)
                {
                    EquatableArray<string> pairs = attribute.ConstructorArguments[1].Values
                        .Select(v => v.Value as string ?? string.Empty)
                        .ToEquatableArray();
                    headerBindings.Add(new HeaderBindingSpec(match, pairs));
                }
            }

            string fullName = FullName(type);
            AttributeData? durable = FindAttribute(type, KnownNames.DurableAttribute);
            return new ConsumerSpec(
                TypeName: type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
                DisplayName: fullName,
                MessageTypeName: messageType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
                RegistrationName: Identifier(fullName) + "_ConsumerRegistration",
                HintName: fullName + ".Consumer.g.cs",
                Queue: NamedString(consumer, "Queue"),
                Durable: durable is not null,
                QueueType: QueueTypeOf(durable),
                DeliveryLimit: DeliveryLimitOf(durable),
                Arguments: QueueArgumentsOf(FindAttribute(type, KnownNames.QueueArgumentsAttribute), IsSingleActive(consumer)),
                Prefetch: prefetch,
                BindingKeys: bindingKeys.ToEquatableArray(),
                HeaderBindings: headerBindings.ToEquatableArray(),
                StreamOffset: NamedString(consumer, StreamOffsetArgument),
                StreamConsumerName: NamedString(consumer, StreamConsumerNameArgument),
                TrackStreamOffset: !consumer.NamedArguments.Any(a => a.Key == TrackStreamOffsetArgument && a.Value.Value is false));
        }

        public static JsonContextSpec? ParseJsonContext(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            if (context.TargetSymbol is not INamedTypeSymbol type || !IsUsable(type) || !DerivesFrom(type, KnownNames.JsonSerializerContext))
            {
                return null;
            }

            cancellationToken.ThrowIfCancellationRequested();
            EquatableArray<string> types = context.Attributes
                .Select(a => a.ConstructorArguments.Length > 0 ? a.ConstructorArguments[0].Value as ITypeSymbol : null)
                .Where(t => t is not null)
                .Select(t => t!.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat))
                .ToEquatableArray();
            return new JsonContextSpec(type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), types);
        }

        /// <summary>The first context, in name order so the choice is deterministic, that declares the type.</summary>
        public static string? FindJsonContext(string typeName, ImmutableArray<JsonContextSpec> contexts) =>
            contexts
                .Where(c => c.TypeNames.Contains(typeName))
                .Select(c => c.ContextTypeName)
                .OrderBy(n => n, System.StringComparer.Ordinal)
                .FirstOrDefault();

        /// <summary>Splits <c>"{Facility}.{Severity}"</c> into literal and property segments; null when a property is missing.</summary>
        private static ImmutableArray<RoutingKeySegment>? ParseTemplate(INamedTypeSymbol type, string template)
        {
            ImmutableArray<RoutingKeySegment>.Builder segments = ImmutableArray.CreateBuilder<RoutingKeySegment>();
            int position = 0;
            while (position < template.Length)
            {
                int open = template.IndexOf('{', position);
                if (open < 0)
                {
                    segments.Add(new RoutingKeySegment(false, template.Substring(position), ValueFormat.String));
                    break;
                }

                if (open > position)
                {
                    segments.Add(new RoutingKeySegment(false, template.Substring(position, open - position), ValueFormat.String));
                }

                int close = template.IndexOf('}', open + 1);
                if (close < 0)
                {
                    return null;
                }

                string propertyName = template.Substring(open + 1, close - open - 1).Trim();
                IPropertySymbol? property = ReadableProperties(type).FirstOrDefault(p => p.Name == propertyName);
                if (property is null)
                {
                    return null;
                }

                segments.Add(new RoutingKeySegment(true, property.Name, FormatOf(property.Type)));
                position = close + 1;
            }

            return segments.ToImmutable();
        }

        private static ValueFormat FormatOf(ITypeSymbol type)
        {
            if (type.SpecialType == SpecialType.System_String)
            {
                return ValueFormat.String;
            }

            bool nullableValue = type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T };
            ITypeSymbol underlying = nullableValue ? ((INamedTypeSymbol)type).TypeArguments[0] : type;
            bool formattable = underlying.TypeKind != TypeKind.Enum && HasPublicFormattableToString(underlying);
            if (underlying.IsValueType && !nullableValue)
            {
                return formattable ? ValueFormat.FormattableValue : ValueFormat.OtherValue;
            }

            return formattable ? ValueFormat.FormattableNullable : ValueFormat.OtherNullable;
        }

        /// <summary>
        /// True when <c>value.ToString(null, provider)</c> compiles and is not obsolete: the type implements IFormattable with a
        /// public method. Enums are excluded (their IFormattable overload is obsolete) and so are explicit implementations.
        /// </summary>
        private static bool HasPublicFormattableToString(ITypeSymbol type)
        {
            INamedTypeSymbol? formattable = type.AllInterfaces.FirstOrDefault(i => MetadataName(i) == "System.IFormattable");
            if (formattable?.GetMembers("ToString").FirstOrDefault() is not IMethodSymbol toString)
            {
                return false;
            }

            return type.FindImplementationForInterfaceMember(toString) is IMethodSymbol { MethodKind: MethodKind.Ordinary, DeclaredAccessibility: Accessibility.Public };
        }

        /// <summary>Generated code lives at namespace level in the same assembly: it needs a non-generic type it can name.</summary>
        private static bool IsUsable(INamedTypeSymbol type) => type.TypeKind != TypeKind.Error && WhyUnusable(type) is null;

        private static bool DerivesFrom(INamedTypeSymbol type, string baseMetadataName)
        {
            for (INamedTypeSymbol? current = type.BaseType; current is not null; current = current.BaseType)
            {
                if (MetadataName(current) == baseMetadataName)
                {
                    return true;
                }
            }

            return false;
        }

        private static AttributeData? FindAttribute(INamedTypeSymbol type, string metadataName) =>
            type.GetAttributes().FirstOrDefault(a => MetadataName(a.AttributeClass) == metadataName);

        private static string? NamedString(AttributeData attribute, string name)
        {
            foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
            {
                if (argument.Key == name)
                {
                    return argument.Value.Value as string;
                }
            }

            return null;
        }

        /// <summary>A C# identifier made from a full type name: <c>Ns.Outer+Inner</c> becomes <c>Ns_Outer_Inner</c>, <c>My_Type</c> becomes <c>My__Type</c>.</summary>
        private static string Identifier(string fullName)
        {
            // '_' doubles so that Ns.A_B and Ns.A.B (A_B vs A__B... vs A_B) cannot meet: Ns__A__B vs Ns_A_B.
            var builder = new System.Text.StringBuilder(fullName.Length + 8);
            foreach (char c in fullName)
            {
                builder.Append(c == '_' ? "__" : char.IsLetterOrDigit(c) ? c.ToString() : "_");
            }

            return builder.ToString();
        }
    }
}
