using System.Text;

namespace Lfr.Host.Cli;

/// <summary>Reads a password without echoing it on a terminal, or one line from a pipe (scripts).</summary>
internal static class Password
{
    public static string Read(string prompt)
    {
        if (Console.IsInputRedirected)
            return Console.In.ReadLine() ?? throw new CliException("no password on standard input");
        Console.Error.Write(prompt);
        var text = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter) break;
            if (key.Key == ConsoleKey.Backspace) { if (text.Length > 0) text.Length--; }
            else if (!char.IsControl(key.KeyChar)) text.Append(key.KeyChar);
        }
        Console.Error.WriteLine();
        return text.ToString();
    }
}
