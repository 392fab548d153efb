using System.Collections.Generic;
using System.Linq;
using System.Threading;
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
        /// A message type's contract: its wire names, route and payload schema. Parsed apart from <see cref="ParseMessage"/>
        /// so that a change to the payload or to a location redoes the contract documents, not the descriptor.
        /// </summary>
        public static MessageContract? ParseMessageContract(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            if (context.TargetSymbol is not INamedTypeSymbol type || !IsUsable(type) || context.Attributes.IsEmpty)
            {
                return null;
            }

            // As ParseMessage: the first routing attribute counts, and a message without a name has no descriptor.
            AttributeData attribute = context.Attributes[0];
            if (FirstRoutingAttribute(type, RoutingKindByName) is not { } first
                || !SymbolEqualityComparer.Default.Equals(first.Attribute.AttributeClass, attribute.AttributeClass))
            {
                return null;
            }

            cancellationToken.ThrowIfCancellationRequested();
            return MessageContractOf(type);
        }

        /// <summary>The contract of a message type, declared here or in a referenced assembly; null without a named routing attribute.</summary>
        private static MessageContract? MessageContractOf(INamedTypeSymbol type)
        {
            if (FirstRoutingAttribute(type, RoutingKindByName) is not { } routing || RouteOf(type) is not { } route)
            {
                return null;
            }

            // A template the descriptor cannot be made from (WARREN001) leaves the message unregistered: no contract either.
            string? template = NamedString(routing.Attribute, "RoutingKey");
            if (template is not null && ParseTemplate(type, template) is null)
            {
                return null;
            }

            var schemas = new SchemaCollector();
            string schemaName = schemas.AddObject(type);
            AttributeData? message = MessageAttributeOf(type);
            return new MessageContract(
                WireName: WireName(type, message),
                Aliases: MessageAliases(message).OrderBy(a => a, System.StringComparer.Ordinal).ToEquatableArray(),
                ClrType: FullName(type),
                SchemaName: schemaName,
                Route: route,
                RoutingKey: template,
                Mandatory: routing.Attribute.NamedArguments.Any(a => a.Key == "Mandatory" && a.Value.Value is true),
                Headers: HeadersOf(type).OrderBy(h => h.HeaderName, System.StringComparer.Ordinal).ToEquatableArray(),
                Schemas: schemas.Schemas,
                Location: LocationInfo.From(routing.Attribute.ApplicationSyntaxReference));
        }

        /// <summary>A consumer's contract, with its message's route read from the message type (which may live in another assembly).</summary>
        public static ConsumerContract? ParseConsumerContract(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            if (ParseConsumer(context, cancellationToken) is not { } consumer
                || context.TargetSymbol is not INamedTypeSymbol type
                || type.AllInterfaces.FirstOrDefault(i => MetadataName(i.OriginalDefinition) == KnownNames.ConsumerInterface) is not { } consumerInterface
                || consumerInterface.TypeArguments[0] is not INamedTypeSymbol messageType
                || MessageContractOf(messageType) is not { } message)
            {
                return null;
            }

            return new ConsumerContract(
                ClrType: consumer.DisplayName,
                ClassName: type.Name,
                Message: message,
                Queue: consumer.Queue,
                QueueShape: new QueueShape(consumer.Durable, consumer.QueueType, consumer.DeliveryLimit, consumer.Arguments),
                Prefetch: consumer.Prefetch,
                BindingKeys: consumer.BindingKeys,
                HeaderBindings: consumer.HeaderBindings,
                StreamOffset: consumer.StreamOffset,
                StreamConsumerName: consumer.StreamConsumerName,
                TrackStreamOffset: consumer.TrackStreamOffset,
                Location: LocationInfo.From(context.Attributes[0].ApplicationSyntaxReference));
        }

        /// <summary>An <c>[RpcService]</c> interface's contract: its queue and each method's request and reply.</summary>
        public static RpcServiceContract? ParseRpcServiceContract(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken) =>
            ParseRpcService(context, cancellationToken) is { } service && context.TargetSymbol is INamedTypeSymbol type
                ? RpcServiceContractOf(type, service, LocationInfo.From(context.Attributes[0].ApplicationSyntaxReference))
                : null;

        /// <summary>An <c>[RpcServer]</c> class's contract: the services it serves, read from their interfaces.</summary>
        public static RpcServerContract? ParseRpcServerContract(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            if (ParseRpcServer(context, cancellationToken) is not { } server || context.TargetSymbol is not INamedTypeSymbol type)
            {
                return null;
            }

            var services = new List<RpcServiceContract>();
            foreach (INamedTypeSymbol service in type.AllInterfaces.Where(i => FindAttribute(i, KnownNames.RpcServiceAttribute) is not null && IsUsable(i)))
            {
                AttributeData attribute = FindAttribute(service, KnownNames.RpcServiceAttribute)!;
                if (ParseRpcServiceSymbol(service, attribute, cancellationToken) is { } spec)
                {
                    services.Add(RpcServiceContractOf(service, spec, LocationInfo.From(attribute.ApplicationSyntaxReference)));
                }
            }

            return new RpcServerContract(FullName(type), services.OrderBy(s => s.ClrType, System.StringComparer.Ordinal).ToEquatableArray());
        }

        private static RpcServiceContract RpcServiceContractOf(INamedTypeSymbol type, RpcServiceSpec service, LocationInfo? location)
        {
            var schemas = new SchemaCollector();
            var methods = new List<RpcMethodContract>();
            foreach (RpcMethodSpec spec in service.Methods)
            {
                IMethodSymbol method = type.GetMembers(spec.Name).OfType<IMethodSymbol>().First();
                EquatableArray<RpcParameterContract> parameters = method.Parameters
                    .Where(p => !IsCancellationToken(p.Type))
                    .Select(p => new RpcParameterContract(p.Name, schemas.TypeOf(p.Type)))
                    .ToEquatableArray();
                JsonType? returns = RpcReturnKindOf((INamedTypeSymbol)method.ReturnType, out ITypeSymbol? result) is not null && result is not null
                    ? schemas.TypeOf(result)
                    : null;
                methods.Add(new RpcMethodContract(spec.WireName, parameters, returns, LocationInfo.From(method.Locations.FirstOrDefault())));
            }

            return new RpcServiceContract(
                FullName(type),
                service.Queue,
                new QueueShape(service.Durable, service.QueueType, service.DeliveryLimit, service.Arguments),
                methods.OrderBy(m => m.WireName, System.StringComparer.Ordinal).ToEquatableArray(),
                schemas.Schemas,
                location);
        }

        /// <summary>Where a message type is published, from its first routing attribute; null when it has none (or no name).</summary>
        private static MessageRoute? RouteOf(INamedTypeSymbol messageType)
        {
            if (FirstRoutingAttribute(messageType, RoutingKindByName) is not { } routing || NameArgument(routing.Attribute) is not { } name)
            {
                return null;
            }

            AttributeData? durable = FindAttribute(messageType, KnownNames.DurableAttribute);
            bool typedQueue = routing.Kind == ExchangeKindSpec.Queue;
            var queue = new QueueShape(
                durable is not null,
                typedQueue ? QueueTypeOf(durable) : QueueTypeSpec.Classic,
                typedQueue ? DeliveryLimitOf(durable) : 0,
                typedQueue ? QueueArgumentsOf(FindAttribute(messageType, KnownNames.QueueArgumentsAttribute), singleActive: false) : null);
            return new MessageRoute(routing.Kind, name, durable is not null, queue);
        }
    }
}
