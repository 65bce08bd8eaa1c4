using System.Text.Json;
using System.Text.Json.Nodes;
using Lfr.Host.Web.Auth;

namespace Lfr.Host.Cli;

/// <summary>
/// <c>lfr user hash</c>: prints the PBKDF2 hash of a password for <c>Lfr:Web:Users:NAME:PasswordHash</c>. The password
/// is asked for twice on a terminal, or read as one line from standard input; it is never an argument, so it stays
/// out of shell history and process lists. <c>lfr user remove NAME [--config FILE]</c>: takes the user out of the
/// node's appsettings.json; a running node reloads the file and signs them out of every session at once.
/// </summary>
public static class UserCommand
{
    private const string Usage = """
        usage: lfr user hash                            (the password is read from the terminal or standard input)
               lfr user remove NAME [--config FILE]     (default: appsettings.json next to lfr)
        """;

    public static int Run(CliArgs args)
    {
        var config = args.Option("config") ?? Path.Combine(AppContext.BaseDirectory, "appsettings.json");
        args.RejectUnknown();
        switch (args.Positional)
        {
            case ["hash"]:
                return Hash();
            case ["remove", var name]:
                Remove(config, name);
                return 0;
            default:
                throw new CliException(Usage);
        }
    }

    private static int Hash()
    {
        var password = Password.Read("password: ");
        if (!Console.IsInputRedirected && Password.Read("again: ") != password) throw new CliException("the two passwords differ");
        if (password.Length < 8) throw new CliException("a password needs 8 characters or more");
        Console.Out.WriteLine(PasswordHash.Create(password));
        return 0;
    }

    /// <summary>
    /// Removes <c>Lfr:Web:Users:NAME</c> from the JSON file, in place (the node's file watcher sees the change; the file
    /// keeps its mode). Configuration keys are case-insensitive, so is the match.
    /// </summary>
    private static void Remove(string config, string name)
    {
        if (!File.Exists(config)) throw new CliException($"{config}: no such configuration file (say which with --config FILE)");
        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(config), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })
                as JsonObject ?? throw new CliException($"{config}: not a JSON object");
        }
        catch (JsonException e)
        {
            throw new CliException($"{config}: not valid JSON ({e.Message})");
        }

        var users = Child(Child(Child(root, "Lfr"), "Web"), "Users");
        var key = users?.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));
        if (users is null || key is null)
            throw new CliException($"{config} has no user '{name}' under {WebSettings.Section}:Users (a user given by an LFR__WEB__USERS__ environment variable is removed by removing the variable and restarting the node)");
        users.Remove(key);
        File.WriteAllText(config, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + Environment.NewLine);
        Console.Out.WriteLine($"removed {key} from {config}; a running node signs them out as it reloads the file");
    }

    private static JsonObject? Child(JsonObject? parent, string name)
    {
        if (parent is null) return null;
        foreach (var (key, value) in parent)
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
                return value as JsonObject;
        return null;
    }
}
