using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.Extensions.Configuration;

namespace Warren.Hosting;

/// <summary>
/// Reads settings from one configuration section by hand, with no reflection, so the library stays trimmable and
/// AOT-clean. Every value that cannot be read, every value a setter refuses, and every key no setting has becomes a
/// problem naming the key's full path (<c>Warren:Retry:MaxRetries</c>), which options validation reports at start.
/// </summary>
internal sealed class SettingsReader
{
    private readonly IConfiguration _section;
    private readonly string _path;
    private readonly List<string> _problems;
    private readonly HashSet<string> _known = new(StringComparer.OrdinalIgnoreCase);

    public SettingsReader(IConfiguration section, List<string> problems)
    {
        _section = section;
        _path = (section as IConfigurationSection)?.Path ?? string.Empty;
        _problems = problems;
    }

    /// <summary>The full path of <paramref name="key"/> in this section, as configuration names it.</summary>
    public string PathOf(string key) => _path.Length == 0 ? key : ConfigurationPath.Combine(_path, key);

    /// <summary>How a setting's text becomes its value; false when it cannot.</summary>
    private delegate bool Parse<T>(string text, out T value);

    public void String(string key, Action<string> assign) =>
        Read(key, static (string text, out string value) => { value = text; return true; }, "text", assign);

    public void Bool(string key, Action<bool> assign) => Read(key, bool.TryParse, "true or false", assign);

    public void Int(string key, Action<int> assign) => Read(
        key, static (string text, out int value) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value), "a whole number", assign);

    public void Long(string key, Action<long> assign) => Read(
        key, static (string text, out long value) => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value), "a whole number", assign);

    public void Byte(string key, Action<byte> assign) => Read(
        key, static (string text, out byte value) => byte.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value),
        "a whole number from 0 to 255", assign);

    public void UShort(string key, Action<ushort> assign) => Read(
        key, static (string text, out ushort value) => ushort.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value),
        "a whole number from 0 to 65535", assign);

    public void TimeSpan(string key, Action<TimeSpan> assign) => Read(
        key, static (string text, out TimeSpan value) => System.TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value),
        "a duration such as 00:00:30", assign);

    public void Uri(string key, Action<Uri> assign) => Read(
        key, static (string text, out Uri value) => System.Uri.TryCreate(text, UriKind.Absolute, out value!),
        "an absolute URI such as amqp://user:password@host:5672/", assign);

    public void StreamOffset(string key, Action<Warren.StreamOffset> assign) => Read(
        key, static (string text, out Warren.StreamOffset value) => Warren.StreamOffset.TryParse(text, out value!),
        "first, last, next, a whole number (an offset) or an ISO 8601 time such as 2024-05-01T12:00:00Z", assign);

    /// <summary>An enum by name (not by number, which would accept values that name nothing).</summary>
    public void Enum<TEnum>(string key, Action<TEnum> assign)
        where TEnum : struct, Enum => Read(
        key,
        static (string text, out TEnum value) => System.Enum.TryParse(text, ignoreCase: true, out value) && System.Enum.IsDefined(value) && text.Length > 0 && !char.IsDigit(text[0]) && text[0] != '-',
        $"one of {string.Join(", ", System.Enum.GetNames<TEnum>())}",
        assign);

    /// <summary>A list of strings: the section's children in index order (<c>Bindings:0</c>, <c>Bindings:1</c>, ...).</summary>
    public void StringList(string key, Action<IReadOnlyList<string>> assign)
    {
        _known.Add(key);
        IConfigurationSection list = _section.GetSection(key);
        if (!list.Exists())
        {
            return;
        }

        List<string> values = [];
        foreach (IConfigurationSection item in Items(list))
        {
            values.Add(item.Value ?? string.Empty);
        }

        Assign(key, values, assign);
    }

    /// <summary>
    /// A list given either as the section's children in index order (a JSON array) or as one string of items separated by
    /// commas (an environment variable), each item read by <paramref name="parse"/>; an item it cannot read is a problem
    /// naming its index.
    /// </summary>
    public void SplitList<T>(string key, Func<string, T?> parse, string expected, Action<IReadOnlyList<T>> assign)
        where T : class
    {
        _known.Add(key);
        IConfigurationSection list = _section.GetSection(key);
        if (!list.Exists())
        {
            return;
        }

        IEnumerable<(string Index, string Text)> items = list.Value is { } text
            ? text.Split(',').Select((item, index) => (index.ToString(CultureInfo.InvariantCulture), item))
            : Items(list).Select(item => (item.Key, item.Value ?? string.Empty));
        List<T> values = [];
        bool readable = true;
        foreach ((string index, string item) in items)
        {
            if (parse(item) is { } value)
            {
                values.Add(value);
            }
            else
            {
                Problem(key, $"item {index} must be {expected}; '{item}' is not");
                readable = false;
            }
        }

        if (readable)
        {
            Assign(key, values, assign);
        }
    }

    /// <summary>A nested section, read by <paramref name="read"/> when it is present.</summary>
    public void Section(string key, Action<SettingsReader> read)
    {
        _known.Add(key);
        IConfigurationSection nested = _section.GetSection(key);
        if (nested.Exists())
        {
            var reader = new SettingsReader(nested, _problems);
            read(reader);
            reader.RejectUnknown();
        }
    }

    /// <summary>The sections of a list, in index order, each read by <paramref name="read"/>.</summary>
    public void SectionList<T>(string key, Func<SettingsReader, T?> read, Action<IReadOnlyList<T>> assign)
        where T : class
    {
        _known.Add(key);
        IConfigurationSection list = _section.GetSection(key);
        if (!list.Exists())
        {
            return;
        }

        List<T> items = [];
        foreach (IConfigurationSection item in Items(list))
        {
            var reader = new SettingsReader(item, _problems);
            if (read(reader) is { } value)
            {
                items.Add(value);
            }

            reader.RejectUnknown();
        }

        Assign(key, items, assign);
    }

    /// <summary>A key read elsewhere (a section of named options): not an unknown key here.</summary>
    public void Skip(string key) => _known.Add(key);

    /// <summary>The key-value pairs of a section, for headers.</summary>
    public IReadOnlyDictionary<string, string> Pairs(string key)
    {
        _known.Add(key);
        return _section.GetSection(key).GetChildren().ToDictionary(child => child.Key, child => child.Value ?? string.Empty, StringComparer.Ordinal);
    }

    /// <summary>Reports every key of this section that no setting read: a typo, most likely.</summary>
    public void RejectUnknown()
    {
        foreach (IConfigurationSection child in _section.GetChildren())
        {
            if (!_known.Contains(child.Key))
            {
                string? nearest = Nearest(child.Key, _known);
                _problems.Add($"{PathOf(child.Key)} is not a Warren setting{(nearest is null ? string.Empty : $"; did you mean '{PathOf(nearest)}'?")}");
            }
        }
    }

    /// <summary>Records a problem about one key.</summary>
    public void Problem(string key, string problem) => _problems.Add($"{PathOf(key)} {problem}");

    private void Read<T>(string key, Parse<T> parse, string expected, Action<T> assign)
    {
        _known.Add(key);
        IConfigurationSection setting = _section.GetSection(key);
        if (setting.Value is not { } text)
        {
            if (setting.GetChildren().Any())
            {
                Problem(key, $"must be {expected}, not a section");
            }

            return;
        }

        if (!parse(text.Trim(), out T value))
        {
            Problem(key, $"must be {expected}; '{text}' is not");
            return;
        }

        Assign(key, value, assign);
    }

    private void Assign<T>(string key, T value, Action<T> assign)
    {
        try
        {
            assign(value);
        }
        catch (ArgumentException ex)
        {
            // A setter that refuses the value (a negative retry count) says why.
            Problem(key, $"is refused: {ReasonOf(ex)}");
        }
    }

    /// <summary>The words of an argument exception, without the parameter name and actual value the runtime appends.</summary>
    public static string ReasonOf(ArgumentException exception)
    {
        int at = exception.Message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        return at > 0 ? exception.Message[..at] : exception.Message;
    }

    /// <summary>The children of a list section in index order.</summary>
    private static IEnumerable<IConfigurationSection> Items(IConfigurationSection list) =>
        list.GetChildren().OrderBy(child => int.TryParse(child.Key, NumberStyles.Integer, CultureInfo.InvariantCulture, out int index) ? index : int.MaxValue);

    /// <summary>The known key nearest to a misspelt one, when it is near enough to be what was meant.</summary>
    private static string? Nearest(string key, IEnumerable<string> known)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string candidate in known)
        {
            int distance = Shared.EditDistance.Between(key.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        return bestDistance <= Math.Max(1, key.Length / 3) ? best : null;
    }

}
