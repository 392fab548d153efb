using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Warren.Generators.Common;
using Warren.Generators.Contracts;
using Warren.Generators.Diagnostics;
using Warren.Generators.Model;

namespace Warren.Generators;

public sealed partial class WarrenGenerator
{
    /// <summary>The name of the contract lock file, an AdditionalFile of the project (compared ignoring case).</summary>
    internal const string LockFileName = "warren.contracts.json";

    /// <summary>
    /// The contract pipeline, apart from the descriptors': each contract is parsed in its own step, the set of them becomes
    /// the AsyncAPI document, definitions.json and the lock (one generated file of constants), and, when the project has a
    /// lock file, the lock check reports every breaking change.
    /// </summary>
    private static void InitializeContracts(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValueProvider<ImmutableArray<MessageContract>>[] messages = new[]
            {
                KnownNames.QueueAttribute, KnownNames.FanoutAttribute, KnownNames.DirectAttribute, KnownNames.TopicAttribute, KnownNames.HeadersAttribute,
            }
            .Select(attribute => Contracts(context, attribute, static node => node is TypeDeclarationSyntax, Parser.ParseMessageContract, TrackingNames.MessageContracts))
            .ToArray();
        IncrementalValueProvider<ImmutableArray<ConsumerContract>> consumers =
            Contracts(context, KnownNames.ConsumerAttribute, static node => node is TypeDeclarationSyntax, Parser.ParseConsumerContract, TrackingNames.ConsumerContracts);
        IncrementalValueProvider<ImmutableArray<RpcServiceContract>> services =
            Contracts(context, KnownNames.RpcServiceAttribute, static node => node is InterfaceDeclarationSyntax, Parser.ParseRpcServiceContract, TrackingNames.RpcServiceContracts);
        IncrementalValueProvider<ImmutableArray<RpcServerContract>> servers =
            Contracts(context, KnownNames.RpcServerAttribute, static node => node is ClassDeclarationSyntax, Parser.ParseRpcServerContract, TrackingNames.RpcServerContracts);

        IncrementalValueProvider<ContractSet> contracts = messages[0].Combine(messages[1]).Combine(messages[2]).Combine(messages[3]).Combine(messages[4])
            .Combine(consumers)
            .Combine(services)
            .Combine(servers)
            .Select(static (all, _) =>
            {
                var (((((((queue, fanout), direct), topic), headers), consumerContracts), serviceContracts), serverContracts) = all;
                return new ContractSet(
                    queue.Concat(fanout).Concat(direct).Concat(topic).Concat(headers)
                        .OrderBy(static m => m.WireName, System.StringComparer.Ordinal).ThenBy(static m => m.ClrType, System.StringComparer.Ordinal).ToEquatableArray(),
                    consumerContracts.OrderBy(static c => c.ClrType, System.StringComparer.Ordinal).ToEquatableArray(),
                    serviceContracts.OrderBy(static s => s.ClrType, System.StringComparer.Ordinal).ToEquatableArray(),
                    serverContracts.OrderBy(static s => s.ClrType, System.StringComparer.Ordinal).ToEquatableArray());
            })
            .WithTrackingName(TrackingNames.Contracts);

        IncrementalValueProvider<ContractOptions> options = context.CompilationProvider
            .Select(static (compilation, _) => (compilation.AssemblyName ?? "Assembly", compilation.Assembly.Identity.Version.ToString()))
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Select(static (pair, _) =>
            {
                AnalyzerConfigOptions global = pair.Right.GlobalOptions;
                string virtualHost = global.TryGetValue("build_property.WarrenVirtualHost", out string? vhost) && !string.IsNullOrWhiteSpace(vhost) ? vhost.Trim() : "/";
                bool accept = global.TryGetValue("build_property.WarrenAcceptContracts", out string? text) && string.Equals(text?.Trim(), "true", System.StringComparison.OrdinalIgnoreCase);
                return new ContractOptions(pair.Left.Item1, pair.Left.Item2, virtualHost, accept);
            })
            .WithTrackingName(TrackingNames.ContractOptions);

        IncrementalValueProvider<ContractDocuments?> documents = contracts
            .Combine(options)
            .Select(static (pair, _) => pair.Left.IsEmpty ? null : Emitter.BuildContractDocuments(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.ContractDocuments);
        context.RegisterSourceOutput(documents, static (spc, spec) =>
        {
            if (spec is not null)
            {
                spc.AddSource(Emitter.ContractsHintName, Emitter.EmitContractDocuments(spec));
            }
        });

        IncrementalValueProvider<ImmutableArray<LockFile>> lockFiles = context.AdditionalTextsProvider
            .Where(static text => string.Equals(System.IO.Path.GetFileName(text.Path), LockFileName, System.StringComparison.OrdinalIgnoreCase))
            .Select(static (text, ct) => new LockFile(text.Path, text.GetText(ct)?.ToString() ?? string.Empty))
            .WithTrackingName(TrackingNames.ContractLockFile)
            .Collect();
        IncrementalValueProvider<EquatableArray<DiagnosticInfo>> lockCheck = contracts
            .Combine(lockFiles)
            .Combine(options)
            .Select(static (all, _) =>
            {
                var ((set, files), settings) = all;
                // Accepting the change rewrites the lock after the build, so this build reports nothing; without a lock there is nothing to keep.
                return settings.AcceptContracts || files.IsEmpty
                    ? EquatableArray<DiagnosticInfo>.Empty
                    : LockCheck.Run(set, files.OrderBy(static f => f.Path, System.StringComparer.Ordinal).First());
            })
            .WithTrackingName(TrackingNames.ContractLockCheck);
        context.RegisterSourceOutput(lockCheck, static (spc, diagnostics) =>
        {
            foreach (DiagnosticInfo diagnostic in diagnostics)
            {
                DiagnosticDescriptor descriptor = diagnostic.Id == DiagnosticDescriptors.ContractBreaksLock.Id
                    ? DiagnosticDescriptors.ContractBreaksLock
                    : DiagnosticDescriptors.UnreadableContractLock;
                spc.ReportDiagnostic(Diagnostic.Create(descriptor, diagnostic.Location?.ToLocation() ?? Location.None, diagnostic.Message));
            }
        });
    }

    /// <summary>The contracts of the declarations carrying one attribute, in a named step.</summary>
    private static IncrementalValueProvider<ImmutableArray<T>> Contracts<T>(
        IncrementalGeneratorInitializationContext context,
        string attributeName,
        System.Func<SyntaxNode, bool> isTarget,
        System.Func<GeneratorAttributeSyntaxContext, System.Threading.CancellationToken, T?> parse,
        string trackingName)
        where T : class =>
        context.SyntaxProvider
            .ForAttributeWithMetadataName(attributeName, (node, _) => isTarget(node), (ctx, ct) => parse(ctx, ct))
            .Where(static spec => spec is not null)
            .Select(static (spec, _) => spec!)
            .WithTrackingName(trackingName)
            .Collect();
}
