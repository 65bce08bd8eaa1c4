namespace Lfr.Host.Cli;

/// <summary>Entry point of the <c>lfr</c> command: dispatches to one class per sub-command.</summary>
public static class LfrCommand
{
    public static int Run(string[] args)
    {
        Console.Error.WriteLine("usage: lfr <command> [options]");
        return 2;
    }
}
