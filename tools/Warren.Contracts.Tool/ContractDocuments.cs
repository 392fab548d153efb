using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Warren.Contracts.Tool;

/// <summary>
/// The three documents Warren's generator compiles into an assembly as string constants of
/// <c>Warren.Generated.WarrenContractDocuments</c>: the AsyncAPI document, the RabbitMQ definitions and the lock.
/// </summary>
internal sealed record ContractDocuments(string AssemblyName, string AsyncApi, string Definitions, string Lock)
{
    public const string Namespace = "Warren.Generated";
    public const string ClassName = "WarrenContractDocuments";

    /// <summary>
    /// Reads the documents from the metadata of <paramref name="assemblyPath"/>: the assembly is not loaded, so nothing of
    /// it runs and its target framework does not matter. Null when it has no such class (a project without contracts).
    /// </summary>
    /// <exception cref="ContractToolException">The file is missing, not a .NET assembly, or the class lacks a document.</exception>
    public static ContractDocuments? Read(string assemblyPath)
    {
        if (!File.Exists(assemblyPath))
        {
            throw new ContractToolException($"The assembly '{assemblyPath}' does not exist.");
        }

        try
        {
            using FileStream stream = File.OpenRead(assemblyPath);
            using var pe = new PEReader(stream);
            if (!pe.HasMetadata)
            {
                throw new ContractToolException($"'{assemblyPath}' is not a .NET assembly.");
            }

            MetadataReader metadata = pe.GetMetadataReader();
            string assemblyName = metadata.IsAssembly
                ? metadata.GetString(metadata.GetAssemblyDefinition().Name)
                : Path.GetFileNameWithoutExtension(assemblyPath);
            foreach (TypeDefinitionHandle handle in metadata.TypeDefinitions)
            {
                TypeDefinition type = metadata.GetTypeDefinition(handle);
                if (type.GetDeclaringType().IsNil
                    && metadata.StringComparer.Equals(type.Namespace, Namespace)
                    && metadata.StringComparer.Equals(type.Name, ClassName))
                {
                    return FromConstants(assemblyPath, assemblyName, StringConstants(metadata, type));
                }
            }

            return null;
        }
        catch (BadImageFormatException e)
        {
            throw new ContractToolException($"'{assemblyPath}' is not a .NET assembly: {e.Message}");
        }
        catch (IOException e)
        {
            throw new ContractToolException($"Could not read '{assemblyPath}': {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ContractToolException($"Could not read '{assemblyPath}': {e.Message}");
        }
    }

    private static ContractDocuments FromConstants(string assemblyPath, string assemblyName, Dictionary<string, string> constants)
    {
        return new ContractDocuments(assemblyName, Get(nameof(AsyncApi)), Get(nameof(Definitions)), Get(nameof(Lock)));

        string Get(string name) => constants.TryGetValue(name, out string? value)
            ? value
            : throw new ContractToolException(
                $"{Namespace}.{ClassName} in '{assemblyPath}' has no string constant '{name}': " +
                "was it built with another version of Warren's generator than this tool's?");
    }

    /// <summary>The class's <c>const string</c> fields, by name. A constant's blob is its UTF-16 text, with no length prefix.</summary>
    private static Dictionary<string, string> StringConstants(MetadataReader metadata, TypeDefinition type)
    {
        var constants = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (FieldDefinitionHandle handle in type.GetFields())
        {
            FieldDefinition field = metadata.GetFieldDefinition(handle);
            ConstantHandle constantHandle = field.GetDefaultValue();
            if (constantHandle.IsNil)
            {
                continue;
            }

            Constant constant = metadata.GetConstant(constantHandle);
            if (constant.TypeCode == ConstantTypeCode.String)
            {
                BlobReader blob = metadata.GetBlobReader(constant.Value);
                constants[metadata.GetString(field.Name)] = blob.ReadUTF16(blob.Length);
            }
        }

        return constants;
    }
}

/// <summary>A failure the tool reports as one line, without a stack trace.</summary>
internal sealed class ContractToolException(string message) : Exception(message);
