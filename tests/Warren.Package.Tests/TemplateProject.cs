using System;
using System.IO;
using System.Linq;
using System.Xml.Linq;

namespace Warren.Package.Tests;

/// <summary>
/// A project made the way a user starts one: <c>dotnet new &lt;template&gt;</c> with the SDK's own template, then
/// <c>dotnet add package Warren</c> from the local feed, and warnings made errors.
/// </summary>
internal sealed class TemplateProject
{
    private TemplateProject(PackedWarren package, string name, string directory)
    {
        Package = package;
        Name = name;
        Directory = directory;
    }

    public PackedWarren Package { get; }

    /// <summary>The project's name, as given to <c>dotnet new -n</c>: also its assembly's.</summary>
    public string Name { get; }

    public string Directory { get; }

    public string ProjectPath => Path.Combine(Directory, Name + ".csproj");

    /// <summary>
    /// Runs <c>dotnet new <paramref name="template"/> -n <paramref name="name"/></c> in a new folder under the package's
    /// temporary folder, with a nuget.config that puts the local feed first, and adds the Warren package to it.
    /// </summary>
    public static TemplateProject Create(PackedWarren package, string template, string name)
    {
        string directory = Path.Combine(package.Root, name);
        // No restore yet: the nuget.config that names the local feed is written after the template made the folder.
        Succeed(DotNetCli.Run(package.Root, PackedWarren.CommandTimeout, package.ProjectEnvironment,
            "new", template, "-n", name, "-o", directory, "--no-restore"));
        File.WriteAllText(Path.Combine(directory, "nuget.config"), package.NuGetConfig());
        var project = new TemplateProject(package, name, directory);
        Succeed(DotNetCli.Run(directory, PackedWarren.CommandTimeout, package.ProjectEnvironment,
            "add", "package", "Warren", "--version", package.Version, "--no-restore"));
        project.SetProperty("TreatWarningsAsErrors", "true");
        return project;
    }

    /// <summary>The value of a property the project file sets, or null.</summary>
    public string? Property(string name) =>
        XDocument.Load(ProjectPath).Root!.Elements("PropertyGroup").Elements(name).LastOrDefault()?.Value;

    /// <summary>The version of a package the project file references, or null.</summary>
    public string? PackageVersion(string id) =>
        XDocument.Load(ProjectPath).Root!.Elements("ItemGroup").Elements("PackageReference")
            .FirstOrDefault(r => string.Equals(r.Attribute("Include")?.Value, id, StringComparison.OrdinalIgnoreCase))
            ?.Attribute("Version")?.Value;

    /// <summary>Sets a property in the project file's first property group, as a user edits it.</summary>
    public void SetProperty(string name, string value)
    {
        XDocument project = XDocument.Load(ProjectPath);
        XElement group = project.Root!.Elements("PropertyGroup").First();
        if (group.Element(name) is { } existing)
        {
            existing.Value = value;
        }
        else
        {
            group.Add(new XElement(name, value));
        }

        project.Save(ProjectPath);
    }

    public string ReadFile(string relativePath) => File.ReadAllText(Path.Combine(Directory, relativePath));

    public void WriteFile(string relativePath, string text) => File.WriteAllText(Path.Combine(Directory, relativePath), text);

    /// <summary><c>dotnet build</c>, as <see cref="PackageTests"/> runs it: no build servers left behind.</summary>
    public CommandResult Build() =>
        DotNetCli.Run(Directory, PackedWarren.CommandTimeout, Package.ProjectEnvironment,
            "build", "--disable-build-servers", "-nodeReuse:false", "-tl:off");

    private static void Succeed(CommandResult result)
    {
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException("A command that makes the project failed:\n" + result);
        }
    }
}
