using System.Collections;
using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using Lfr.Actors.Cluster;
using Microsoft.Extensions.Configuration;

namespace Lfr.Actors.Settings;

/// <summary>A settings record that checks its own values once bound; keys are its property names (nested: <c>A:B</c>).</summary>
public interface ICheckedSettings
{
    IEnumerable<(string Key, string Problem)> Problems();
}

/// <summary>
/// Binds one configuration section (<c>Lfr:ControlRoom</c>, <c>Lfr:Van</c>, <c>Lfr:LiveView</c>) onto its settings record:
/// every public init property is a setting named by its path, its default is the record's own, and a nested record is a
/// sub-section. A value that does not parse, a key no record knows, and a value its record refuses
/// (<see cref="ICheckedSettings"/>) are all reported at once, each naming its key, in one <see cref="LfrSettingsException"/>.
/// Adding a setting is adding a property with a <see cref="DescriptionAttribute"/>: binding, <c>lfr config show</c> and the
/// README table (checked by a spec) follow from it.
/// </summary>
public static class SettingsBinder
{
    public static T Bind<T>(IConfiguration configuration, string section) where T : class, new()
    {
        var errors = new List<string>();
        var value = Bind<T>(configuration, section, errors);
        return errors.Count == 0 ? value : throw new LfrSettingsException(errors);
    }

    /// <summary>Binds and adds every problem to <paramref name="errors"/>; the result holds the defaults where a value was bad.</summary>
    public static T Bind<T>(IConfiguration configuration, string section, List<string> errors) where T : class, new() =>
        (T)BindRecord(typeof(T), configuration.GetSection(section), section, errors);

    /// <summary>Every setting of <typeparamref name="T"/> under <paramref name="section"/>, with its value in <paramref name="settings"/>.</summary>
    public static IReadOnlyList<SettingRow> Describe<T>(string section, T settings) where T : class => DescribeRecord(typeof(T), settings, section).ToList();

    /// <summary>The text a value is written as in configuration (and so in the README and <c>lfr config show</c>).</summary>
    public static string Format(object? value) => value switch
    {
        null => "",
        bool b => b ? "true" : "false",
        TimeSpan t => FormatTimeSpan(t),
        TimeOnly t => t.ToString("HH:mm", CultureInfo.InvariantCulture),
        TimeZoneInfo z => z.Id,
        double d => d.ToString(CultureInfo.InvariantCulture),
        float f => f.ToString(CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static object BindRecord(Type type, IConfigurationSection section, string path, List<string> errors)
    {
        var record = Activator.CreateInstance(type)!;
        var properties = Settable(type).ToList();
        foreach (var child in section.GetChildren())
            if (!properties.Any(p => string.Equals(p.Name, child.Key, StringComparison.OrdinalIgnoreCase)))
                errors.Add($"{path}:{child.Key}: unknown setting (known: {string.Join(", ", properties.Select(p => p.Name))})");
        foreach (var property in properties)
        {
            var key = $"{path}:{property.Name}";
            var child = section.GetSection(property.Name);
            if (IsRecord(property.PropertyType))
                property.SetValue(record, BindRecord(property.PropertyType, child, key, errors));
            else if (Dictionary(property.PropertyType) is { } dictionary)
            {
                if (child.GetChildren().Any())
                    property.SetValue(record, BindDictionary(dictionary.Key, dictionary.Value, (IDictionary?)property.GetValue(record), child, key, errors));
            }
            else if (child.Value is { } text)
            {
                if (Parse(property.PropertyType, text, out var parsed, out var expected)) property.SetValue(record, parsed);
                else errors.Add($"{key}: '{text}' is not {expected}");
            }
        }
        if (record is ICheckedSettings checkedSettings)
            errors.AddRange(checkedSettings.Problems().Select(p => $"{path}:{p.Key}: {p.Problem}"));
        return record;
    }

    // the configured entries over the defaults: a force that reorders one category keeps the others
    private static object BindDictionary(Type keyType, Type valueType, IDictionary? defaults, IConfigurationSection section, string path, List<string> errors)
    {
        var dictionary = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(keyType, valueType))!;
        if (defaults is not null)
            foreach (DictionaryEntry entry in defaults)
                dictionary[entry.Key] = entry.Value;
        foreach (var child in section.GetChildren())
        {
            if (!Parse(keyType, child.Key, out var key, out var expectedKey))
                errors.Add($"{path}:{child.Key}: '{child.Key}' is not {expectedKey}");
            else if (!Parse(valueType, child.Value ?? "", out var value, out var expected))
                errors.Add($"{path}:{child.Key}: '{child.Value}' is not {expected}");
            else
                dictionary[key!] = value;
        }
        return dictionary;
    }

    private static IEnumerable<SettingRow> DescribeRecord(Type type, object record, string path)
    {
        foreach (var property in Settable(type))
        {
            var key = $"{path}:{property.Name}";
            var value = property.GetValue(record);
            var description = property.GetCustomAttribute<DescriptionAttribute>()?.Description ?? "";
            if (IsRecord(property.PropertyType))
                foreach (var row in DescribeRecord(property.PropertyType, value!, key))
                    yield return row;
            else if (value is IDictionary dictionary)
                foreach (DictionaryEntry entry in dictionary)
                    yield return new SettingRow($"{key}:{Format(entry.Key)}", Format(entry.Value), description, property.PropertyType);
            else
                yield return new SettingRow(key, Format(value), description, property.PropertyType);
        }
    }

    private static IEnumerable<PropertyInfo> Settable(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.SetMethod!.IsPublic);

    // a nested settings record of ours: a section of its own
    private static bool IsRecord(Type type) =>
        type.IsClass && type != typeof(string) && type.Namespace?.StartsWith("Lfr.", StringComparison.Ordinal) == true && type.GetConstructor(Type.EmptyTypes) is not null;

    private static (Type Key, Type Value)? Dictionary(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>)
            ? (type.GetGenericArguments()[0], type.GetGenericArguments()[1])
            : null;

    private static bool Parse(Type type, string text, out object? value, out string expected)
    {
        text = text.Trim();
        var nullable = Nullable.GetUnderlyingType(type);
        if (nullable is not null)
        {
            type = nullable;
            if (text.Length == 0)
            {
                value = null;
                expected = "";
                return true;
            }
        }
        (value, expected) = (null, "");
        if (type == typeof(string))
        {
            value = text;
            return true;
        }
        if (type == typeof(bool))
        {
            expected = "true or false";
            if (!bool.TryParse(text, out var b)) return false;
            value = b;
            return true;
        }
        if (type == typeof(int))
        {
            expected = "a whole number";
            if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i)) return false;
            value = i;
            return true;
        }
        if (type == typeof(double) || type == typeof(float))
        {
            expected = "a number";
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || !double.IsFinite(d)) return false;
            value = type == typeof(float) ? (float)d : d;
            return true;
        }
        if (type == typeof(TimeSpan))
        {
            expected = "a duration such as 500ms, 90s, 15m, 2h, 30d or 00:01:30";
            if (!TryParseTimeSpan(text, out var t)) return false;
            value = t;
            return true;
        }
        if (type == typeof(TimeOnly))
        {
            expected = "a time of day such as 23:00";
            if (!TimeOnly.TryParseExact(text, ["H:mm", "HH:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)) return false;
            value = t;
            return true;
        }
        if (type == typeof(TimeZoneInfo))
        {
            expected = "a time zone this machine knows (an IANA id such as Europe/London, or UTC)";
            if (!TimeZoneInfo.TryFindSystemTimeZoneById(text, out var zone)) return false;
            value = zone;
            return true;
        }
        if (type.IsEnum)
        {
            expected = $"one of {string.Join(", ", Enum.GetNames(type))}";
            if (!Enum.TryParse(type, text, ignoreCase: true, out var e) || !Enum.IsDefined(type, e!)) return false;
            value = e;
            return true;
        }
        throw new NotSupportedException($"settings of type {type.Name} cannot be read from configuration");
    }

    private static readonly (string Suffix, TimeSpan Unit)[] Units =
    [
        ("ms", TimeSpan.FromMilliseconds(1)), ("s", TimeSpan.FromSeconds(1)), ("m", TimeSpan.FromMinutes(1)),
        ("h", TimeSpan.FromHours(1)), ("d", TimeSpan.FromDays(1)),
    ];

    private static bool TryParseTimeSpan(string text, out TimeSpan value)
    {
        foreach (var (suffix, unit) in Units)
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && double.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && double.IsFinite(n) && Math.Abs(n) < 1e9)
            {
                value = unit * n;
                return true;
            }
        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value);
    }

    private static string FormatTimeSpan(TimeSpan t)
    {
        foreach (var (suffix, unit) in Enumerable.Reverse(Units))
            if (t.Ticks % unit.Ticks == 0 && t >= unit)
                return $"{t.Ticks / unit.Ticks}{suffix}";
        return t.ToString("c", CultureInfo.InvariantCulture);
    }
}

/// <summary>One setting: its full key, its value as configuration writes it, what it means, and its type.</summary>
public sealed record SettingRow(string Key, string Value, string Description, Type Type);
