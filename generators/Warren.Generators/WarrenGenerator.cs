using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Warren.Generators.Common;
using Warren.Generators.Model;

namespace Warren.Generators;

/// <summary>
/// Emits, for every message type and consumer class marked with Warren's attributes, the descriptor the runtime uses to
/// declare, publish and consume it; for every RPC service interface, its client proxy and server dispatcher; a module
/// initializer that registers them all; and the assembly's <c>AddWarrenConsumers()</c> and <c>AddWarrenRpcServices()</c>
/// for a host. This class only wires the pipeline:
/// <see cref="Parser"/> turns symbols into models, <see cref="Emitter"/> turns models into source.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class WarrenGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<JsonContextSpec> jsonContexts = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownNames.JsonSerializableAttribute,
                static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax,
                static (ctx, ct) => Parser.ParseJsonContext(ctx, ct))
            .Where(static spec => spec is not null)
            .Select(static (spec, _) => spec!)
            .WithTrackingName(TrackingNames.JsonContexts);
        IncrementalValueProvider<ImmutableArray<JsonContextSpec>> allJsonContexts = jsonContexts.Collect();

        IncrementalValueProvider<ImmutableArray<string>> queueDescriptors = Messages(context, KnownNames.QueueAttribute, ExchangeKindSpec.Queue, TrackingNames.QueueMessages, allJsonContexts);
        IncrementalValueProvider<ImmutableArray<string>> fanoutDescriptors = Messages(context, KnownNames.FanoutAttribute, ExchangeKindSpec.Fanout, TrackingNames.FanoutMessages, allJsonContexts);
        IncrementalValueProvider<ImmutableArray<string>> directDescriptors = Messages(context, KnownNames.DirectAttribute, ExchangeKindSpec.Direct, TrackingNames.DirectMessages, allJsonContexts);
        IncrementalValueProvider<ImmutableArray<string>> topicDescriptors = Messages(context, KnownNames.TopicAttribute, ExchangeKindSpec.Topic, TrackingNames.TopicMessages, allJsonContexts);
        IncrementalValueProvider<ImmutableArray<string>> headersDescriptors = Messages(context, KnownNames.HeadersAttribute, ExchangeKindSpec.Headers, TrackingNames.HeadersMessages, allJsonContexts);

        IncrementalValuesProvider<ConsumerSpec> consumers = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownNames.ConsumerAttribute,
                static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax,
                static (ctx, ct) => Parser.ParseConsumer(ctx, ct))
            .Where(static spec => spec is not null)
            .Select(static (spec, _) => spec!)
            .WithTrackingName(TrackingNames.Consumers);
        context.RegisterSourceOutput(consumers, static (spc, spec) => spc.AddSource(spec.HintName, Emitter.EmitConsumer(spec)));

        IncrementalValuesProvider<RpcServiceSpec> rpcServices = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownNames.RpcServiceAttribute,
                static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.InterfaceDeclarationSyntax,
                static (ctx, ct) => Parser.ParseRpcService(ctx, ct))
            .Where(static spec => spec is not null)
            .Select(static (spec, _) => spec!)
            .WithTrackingName(TrackingNames.RpcServices);
        context.RegisterSourceOutput(rpcServices, static (spc, spec) => spc.AddSource(spec.HintName, Emitter.EmitRpcService(spec)));

        IncrementalValuesProvider<RpcServerSpec> rpcServers = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownNames.RpcServerAttribute,
                static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax,
                static (ctx, ct) => Parser.ParseRpcServer(ctx, ct))
            .Where(static spec => spec is not null)
            .Select(static (spec, _) => spec!)
            .WithTrackingName(TrackingNames.RpcServers);

        IncrementalValueProvider<string> assemblyName = context.CompilationProvider
            .Select(static (compilation, _) => compilation.AssemblyName ?? "Assembly")
            .WithTrackingName(TrackingNames.AssemblyName);

        IncrementalValueProvider<RegistrationSpec> registration = queueDescriptors
            .Combine(fanoutDescriptors)
            .Combine(directDescriptors)
            .Combine(topicDescriptors)
            .Combine(headersDescriptors)
            .Combine(consumers.Select(static (spec, _) => spec.RegistrationName).Collect())
            .Combine(rpcServices.Select(static (spec, _) => spec.DescriptorName).Collect())
            .Combine(assemblyName)
            .Select(static (all, _) =>
            {
                var (((((((queue, fanout), direct), topic), headers), consumerNames), rpcNames), assembly) = all;
                EquatableArray<string> messages = queue.Concat(fanout).Concat(direct).Concat(topic).Concat(headers)
                    .OrderBy(static name => name, System.StringComparer.Ordinal)
                    .ToEquatableArray();
                EquatableArray<string> registeredConsumers = consumerNames.OrderBy(static name => name, System.StringComparer.Ordinal).ToEquatableArray();
                EquatableArray<string> registeredServices = rpcNames.OrderBy(static name => name, System.StringComparer.Ordinal).ToEquatableArray();
                return new RegistrationSpec(assembly, messages, registeredConsumers, registeredServices);
            })
            .WithTrackingName(TrackingNames.Registration);
        context.RegisterSourceOutput(registration, static (spc, spec) =>
        {
            if (spec.MessageDescriptors.Count > 0 || spec.ConsumerRegistrations.Count > 0 || spec.RpcDescriptors.Count > 0)
            {
                spc.AddSource("Warren.Registration.g.cs", Emitter.EmitRegistration(spec));
            }
        });

        IncrementalValueProvider<HostingSpec> hosting = consumers.Select(static (spec, _) => spec.TypeName).Collect()
            .Combine(rpcServers.Collect())
            .Combine(rpcServices.Select(static (spec, _) => spec.TypeName).Collect())
            .Combine(assemblyName)
            .Select(static (all, _) =>
            {
                var (((consumerTypes, servers), services), assembly) = all;
                return new HostingSpec(
                    assembly,
                    consumerTypes.OrderBy(static name => name, System.StringComparer.Ordinal).ToEquatableArray(),
                    servers.OrderBy(static server => server.TypeName, System.StringComparer.Ordinal).ToEquatableArray(),
                    services.OrderBy(static name => name, System.StringComparer.Ordinal).ToEquatableArray());
            })
            .WithTrackingName(TrackingNames.HostingRegistration);
        context.RegisterSourceOutput(hosting, static (spc, spec) =>
        {
            if (spec.Consumers.Count > 0 || spec.RpcServers.Count > 0 || spec.RpcServices.Count > 0)
            {
                spc.AddSource("Warren.Hosting.g.cs", Emitter.EmitHosting(spec));
            }
        });

        InitializeContracts(context);
    }

    /// <summary>The pipeline of one routing attribute: parse, pair with a JSON context, emit; returns the descriptor names for registration.</summary>
    private static IncrementalValueProvider<ImmutableArray<string>> Messages(
        IncrementalGeneratorInitializationContext context,
        string attributeName,
        ExchangeKindSpec kind,
        string trackingName,
        IncrementalValueProvider<ImmutableArray<JsonContextSpec>> jsonContexts)
    {
        IncrementalValuesProvider<MessageSpec> messages = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                attributeName,
                static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax,
                (ctx, ct) => Parser.ParseMessage(ctx, kind, ct))
            .Where(static spec => spec is not null)
            .Select(static (spec, _) => spec!)
            .WithTrackingName(trackingName);

        IncrementalValuesProvider<MessageEmitSpec> withContext = messages
            .Combine(jsonContexts)
            .Select(static (pair, _) => new MessageEmitSpec(pair.Left, Parser.FindJsonContext(pair.Left.TypeName, pair.Right)))
            .WithTrackingName(TrackingNames.MessagesWithContext);
        context.RegisterSourceOutput(withContext, static (spc, spec) => spc.AddSource(spec.Message.HintName, Emitter.EmitMessage(spec)));

        return messages
            .SelectMany(static (spec, _) => spec.DerivedTypes.Select(static derived => derived.DescriptorName).Prepend(spec.DescriptorName))
            .Collect();
    }
}
