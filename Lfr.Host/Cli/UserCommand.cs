using Lfr.Host.Web.Auth;

namespace Lfr.Host.Cli;

/// <summary>
/// <c>lfr user hash</c>: prints the PBKDF2 hash of a password for <c>Lfr:Web:Users:NAME:PasswordHash</c>. The password
/// is asked for twice on a terminal, or read as one line from standard input; it is never an argument, so it stays
/// out of shell history and process lists.
/// </summary>
public static class UserCommand
{
    public static int Run(CliArgs args)
    {
        args.RejectUnknown();
        if (args.Positional is not ["hash"]) throw new CliException("usage: lfr user hash   (the password is read from the terminal or standard input)");
        var password = Password.Read("password: ");
        if (!Console.IsInputRedirected && Password.Read("again: ") != password) throw new CliException("the two passwords differ");
        if (password.Length < 8) throw new CliException("a password needs 8 characters or more");
        Console.Out.WriteLine(PasswordHash.Create(password));
        return 0;
    }
}
