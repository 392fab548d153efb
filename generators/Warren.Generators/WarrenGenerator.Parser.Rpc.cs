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
        private static readonly SymbolDisplayFormat TypeNameFormat = SymbolDisplayFormat.FullyQualifiedFormat
            .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

        /// <summary>
        /// An <c>[RpcService]</c> interface whose every abstract member is a valid <c>[RpcMethod]</c>; anything else (an
        /// abstract property, an unmarked or generic method, ref parameters, a wrong return type, two methods with one wire
        /// name, inherited members) yields no model, so the proxy that is emitted always implements the whole interface.
        /// </summary>
        public static RpcServiceSpec? ParseRpcService(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken) =>
            context.TargetSymbol is INamedTypeSymbol type && !context.Attributes.IsEmpty
                ? ParseRpcServiceSymbol(type, context.Attributes[0], cancellationToken)
                : null;

        /// <summary>The service of an interface and its <c>[RpcService]</c>, also for an interface of a referenced assembly.</summary>
        public static RpcServiceSpec? ParseRpcServiceSymbol(INamedTypeSymbol type, AttributeData attribute, CancellationToken cancellationToken)
        {
            if (type.TypeKind != TypeKind.Interface || !IsUsable(type) || NameArgument(attribute) is not { } queue)
            {
                return null;
            }

            if (type.AllInterfaces.Any(i => !i.GetMembers().IsEmpty))
            {
                return null;
            }

            var methods = new List<RpcMethodSpec>();
            var wireNames = new HashSet<string>();
            foreach (ISymbol member in type.GetMembers())
            {
                cancellationToken.ThrowIfCancellationRequested();
                // Constants, nested types, static members and members with a body need nothing from the proxy. (A nested
                // interface or abstract class is IsAbstract too, yet the proxy has nothing to implement for it.)
                if (member is INamedTypeSymbol || (!member.IsAbstract && !HasRpcMethodAttribute(member)))
                {
                    continue;
                }

                if (member is not IMethodSymbol { MethodKind: MethodKind.Ordinary, IsStatic: false } method || ParseRpcMethod(method) is not { } spec
                    || !wireNames.Add(spec.WireName))
                {
                    return null;
                }

                methods.Add(spec);
            }

            if (methods.Count == 0)
            {
                return null;
            }

            string fullName = FullName(type);
            AttributeData? durable = FindAttribute(type, KnownNames.DurableAttribute);
            return new RpcServiceSpec(
                TypeName: type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
                ServiceType: fullName,
                DescriptorName: Identifier(fullName) + "_RpcDescriptor",
                HintName: fullName + ".Rpc.g.cs",
                Queue: queue,
                Durable: durable is not null,
                QueueType: QueueTypeOf(durable),
                DeliveryLimit: DeliveryLimitOf(durable),
                Arguments: QueueArgumentsOf(FindAttribute(type, KnownNames.QueueArgumentsAttribute), singleActive: false),
                Methods: methods.ToEquatableArray());
        }

        /// <summary>
        /// An <c>[RpcServer]</c> class a host can construct, with the <c>[RpcService]</c> interfaces it implements (declared
        /// here or in a referenced assembly); none, or a class DI cannot make, yields no model: the analyzer reports it.
        /// </summary>
        public static RpcServerSpec? ParseRpcServer(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            if (context.TargetSymbol is not INamedTypeSymbol { TypeKind: TypeKind.Class, IsAbstract: false, IsStatic: false } type || !IsUsable(type))
            {
                return null;
            }

            cancellationToken.ThrowIfCancellationRequested();
            EquatableArray<string> services = type.AllInterfaces
                .Where(i => FindAttribute(i, KnownNames.RpcServiceAttribute) is not null && IsUsable(i))
                .Select(i => i.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat))
                .OrderBy(name => name, System.StringComparer.Ordinal)
                .ToEquatableArray();
            return services.Count == 0 ? null : new RpcServerSpec(type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), services);
        }

        private static bool HasRpcMethodAttribute(ISymbol member) =>
            member.GetAttributes().Any(a => MetadataName(a.AttributeClass) == KnownNames.RpcMethodAttribute);

        private static RpcMethodSpec? ParseRpcMethod(IMethodSymbol method)
        {
            AttributeData? rpcMethod = method.GetAttributes().FirstOrDefault(a => MetadataName(a.AttributeClass) == KnownNames.RpcMethodAttribute);
            // A nullable task (Task<int>?) cannot be awaited safely, and an error type means half-typed code.
            if (rpcMethod is null || method.IsGenericMethod || method.ReturnType is not INamedTypeSymbol returnType
                || returnType.NullableAnnotation == NullableAnnotation.Annotated || !IsSendable(returnType))
            {
                return null;
            }

            if (RpcReturnKindOf(returnType, out ITypeSymbol? result) is not { } returnKind)
            {
                return null;
            }

            var parameters = new List<RpcParameterSpec>();
            string? cancellationToken = null;
            for (int i = 0; i < method.Parameters.Length; i++)
            {
                IParameterSymbol parameter = method.Parameters[i];
                if (parameter.RefKind != RefKind.None || parameter.IsParams || !IsSendable(parameter.Type))
                {
                    return null;
                }

                if (IsCancellationToken(parameter.Type))
                {
                    if (i != method.Parameters.Length - 1)
                    {
                        return null;
                    }

                    cancellationToken = parameter.Name;
                    continue;
                }

                parameters.Add(new RpcParameterSpec(parameter.Name, parameter.Type.ToDisplayString(TypeNameFormat)));
            }

            return new RpcMethodSpec(
                Name: method.Name,
                WireName: WireName(method, rpcMethod),
                ReturnKind: returnKind,
                ReturnTypeName: returnType.ToDisplayString(TypeNameFormat),
                ResultTypeName: result?.ToDisplayString(TypeNameFormat),
                Parameters: parameters.ToEquatableArray(),
                CancellationTokenName: cancellationToken);
        }
    }
}
