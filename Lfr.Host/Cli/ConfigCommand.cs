using Lfr.Actors.Cluster;
using Lfr.Actors.Settings;
using Lfr.Actors.Van.Cameras;
using Lfr.Host.Web.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Configuration.Memory;

namespace Lfr.Host.Cli;

/// <summary>
/// <c>lfr config show [--role R] [lfr node's options]</c>: the settings a node would start with, each with where its value came
/// from (default, the file, the environment, the command line), secrets masked; every problem listed after them (exit 2).
/// <c>--markdown</c> prints the README's table of the policy settings instead.
/// </summary>
public static class ConfigCommand
{
    private const string Usage = """
        usage: lfr config show [--role van|control-room|console] [lfr node's options] [--markdown]

          the settings a node of that role would start with (all sections without --role), read as lfr node reads them:
          appsettings.json next to lfr, then LFR__... environment variables, then the options given here; each with its
          source, passwords and connection strings masked. --markdown: the README table of every policy setting.
        """;

    private const string Masked = "****** (set)";

    public static int Run(string[] args)
    {
        if (args is not ["show", ..]) throw new CliException(Usage);
        var cli = new CliArgs(args[1..], new HashSet<string> { "markdown" });
        if (cli.Flag("markdown"))
        {
            cli.RejectUnknown();
            Console.Out.WriteLine(SettingsCatalog.Markdown());
            return 0;
        }
        var overrides = NodeCommand.ConfigurationOverrides(cli);
        if (cli.Positional.Count > 0) throw new CliException($"unexpected argument '{cli.Positional[0]}'\n{Usage}");
        cli.RejectUnknown();
        // the same sources, in the same order, as lfr node
        var configuration = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory }).Configuration;
        configuration.AddInMemoryCollection(overrides);
        var (lines, problems) = Show(configuration, configuration[$"{LfrNodeSettings.Section}:Role"]);
        foreach (var line in lines) Console.Out.WriteLine(line);
        if (problems.Count == 0) return 0;
        Console.Out.WriteLine();
        Console.Out.WriteLine("Problems (the node would not start):");
        foreach (var problem in problems) Console.Out.WriteLine($"  {problem}");
        return 2;
    }

    /// <summary>Every setting of the role's sections (all of them when <paramref name="roleText"/> is null) with value and source.</summary>
    public static (List<string> Lines, List<string> Problems) Show(IConfigurationRoot configuration, string? roleText)
    {
        var problems = new List<string>();
        LfrRole? role = LfrRoles.TryParse(roleText, out var parsed) ? parsed : null;
        var rows = new List<(string Key, string Value)>();

        LfrNodeSettings? node = null;
        try
        {
            node = LfrNodeSettings.FromConfiguration(configuration);
        }
        catch (LfrSettingsException e)
        {
            problems.AddRange(e.Problems);
        }
        // where the node's settings do not bind, each key shows what is configured, else its default
        var fallback = new LfrNodeSettings { Role = role ?? LfrRole.ControlRoom, Port = role is LfrRole.ControlRoom ? LfrNodeSettings.DefaultControlRoomPort : 0 };
        foreach (var name in LfrNodeSettings.SettingNames)
            rows.AddRange(NodeRows(configuration, node, fallback, name));

        foreach (var area in SettingsCatalog.Areas.Where(a => role is null || a.Roles.Contains(role.Value)))
            rows.AddRange(area.Read(configuration, []).Select(r => (r.Key, r.Value)));

        if (role is null or LfrRole.ControlRoom or LfrRole.Console)
        {
            try
            {
                var web = WebSettings.FromConfiguration(configuration);
                rows.Add(($"{WebSettings.Section}:SessionMinutes", SettingsBinder.Format(web.Session.TotalMinutes)));
                rows.Add(($"{WebSettings.Section}:PublicContact", web.PublicContact));
                foreach (var user in web.Users.Values.OrderBy(u => u.Name, StringComparer.Ordinal))
                {
                    rows.Add(($"{WebSettings.Section}:Users:{user.Name}:PasswordHash", Masked));
                    rows.Add(($"{WebSettings.Section}:Users:{user.Name}:Roles", string.Join(",", user.Roles.Order(StringComparer.Ordinal))));
                    rows.Add(($"{WebSettings.Section}:Users:{user.Name}:StaffId", user.StaffId));
                }
            }
            catch (WebSettingsException e)
            {
                problems.AddRange(e.Message.Split(Environment.NewLine));
            }
        }

        var width = rows.Max(r => r.Key.Length);
        var lines = new List<string> { $"Lfr settings{(role is { } r ? $" of a {r.Name()} node" : "")}: KEY = VALUE (where the value came from)" };
        string? section = null;
        foreach (var (key, value) in rows)
        {
            var area = string.Join(':', key.Split(':').Take(2));
            if (area != section) lines.Add("");
            section = area;
            lines.Add($"  {key.PadRight(width)} = {value}  ({Source(configuration, key)})");
        }
        return (lines, problems);
    }

    // Lfr:Node is bound by hand (cameras, TLS): its values from the bound settings, or as configured where they did not bind
    private static IEnumerable<(string Key, string Value)> NodeRows(IConfiguration configuration, LfrNodeSettings? node, LfrNodeSettings fallback, string name)
    {
        var key = $"{LfrNodeSettings.Section}:{name}";
        switch (name)
        {
            case nameof(LfrNodeSettings.Postgres):
                yield return (key, configuration[key] is { Length: > 0 } ? Masked : "");
                break;
            case nameof(LfrNodeSettings.Cameras):
                var cameras = node?.Cameras ?? [];
                for (var i = 0; i < cameras.Count; i++)
                    yield return ($"{key}:{i}", $"{cameras[i].Name}={cameras[i].SafeSource}{(cameras[i].Fps is { } fps ? $"@{SettingsBinder.Format(fps)}fps" : "")}");
                break;
            case nameof(LfrNodeSettings.Tls):
                yield return ($"{key}:CertificatePath", node?.Tls?.CertificatePath ?? configuration[$"{key}:CertificatePath"] ?? "");
                yield return ($"{key}:CertificatePassword", configuration[$"{key}:CertificatePassword"] is { Length: > 0 } ? Masked : "");
                yield return ($"{key}:CaCertificatePath", node?.Tls?.CaCertificatePath ?? configuration[$"{key}:CaCertificatePath"] ?? "");
                yield return ($"{key}:RevokedThumbprints", string.Join(",", node?.Tls?.RevokedThumbprints ?? []));
                break;
            default:
                var value = node is null && configuration[key] is { } configured ? configured : typeof(LfrNodeSettings).GetProperty(name)!.GetValue(node ?? fallback);
                yield return (key, value switch
                {
                    LfrRole r => r.Name(),
                    IEnumerable<string> list => string.Join(",", list),
                    _ => SettingsBinder.Format(value),
                });
                break;
        }
    }

    /// <summary>The last source that sets the key (or anything under it), as the operator knows it.</summary>
    private static string Source(IConfigurationRoot configuration, string key)
    {
        foreach (var provider in configuration.Providers.Reverse())
            if (provider.TryGet(key, out _) || provider.GetChildKeys([], key).Any())
                return provider switch
                {
                    JsonConfigurationProvider json => $"file {json.Source.FileProvider?.GetFileInfo(json.Source.Path ?? "").PhysicalPath ?? json.Source.Path}",
                    EnvironmentVariablesConfigurationProvider => "environment",
                    MemoryConfigurationProvider => "command line",
                    _ => provider.GetType().Name,
                };
        return "default";
    }
}
