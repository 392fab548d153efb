using Xunit;

namespace Warren.Package.Tests;

/// <summary>
/// Every package test class shares one packed Warren (packing takes a minute) and runs one after the other: each test
/// builds a project, and two builds at once would only be slower.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PackageCollection : ICollectionFixture<PackedWarren>
{
    public const string Name = "package";
}
