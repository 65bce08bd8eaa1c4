using Lfr.Actors.Cluster;
using Lfr.Actors.Cluster.Credentials;

namespace Lfr.Host.Cli;

/// <summary>
/// <c>lfr pki init --ca DIR --force NAME</c> creates a force's cluster CA (key 0600 in a 0700 folder, kept off the nodes);
/// <c>lfr pki issue --ca DIR --role ROLE --name NAME [--out DIR]</c> issues one node's certificate, naming its role and
/// name, as <c>OUT/NAME.pfx</c> (0600) with the CA certificate beside it (<c>OUT/ca.crt</c>).
/// </summary>
public static class PkiCommand
{
    public const string Usage = """
        usage: lfr pki init --ca DIR [--force NAME] [--years 10]
               lfr pki issue --ca DIR --role van|control-room|console --name NODE_NAME [--out DIR] [--days 825]
        """;

    public static int Run(CliArgs args)
    {
        var verb = args.Positional.FirstOrDefault();
        var ca = args.Option("ca");
        switch (verb)
        {
            case "init" when ca is not null:
            {
                var force = args.Option("force") ?? "Lfr";
                var years = args.Int("years", 10);
                args.RejectUnknown();
                var certificate = Guard(() => ForcePki.InitCa(ca, force, years));
                Console.Out.WriteLine($"CA created: {certificate} (give a copy to every node)");
                Console.Out.WriteLine($"            {Path.Combine(Path.GetDirectoryName(certificate)!, ForcePki.CaKeyFile)} (0600: keep it off the nodes, offline)");
                return 0;
            }
            case "issue" when ca is not null:
            {
                var roleText = args.Required("role");
                var name = args.Required("name");
                var output = args.Option("out") ?? ".";
                var days = args.Int("days", 825);
                args.RejectUnknown();
                if (!LfrRoles.TryParse(roleText, out var role))
                    throw new CliException($"--role '{roleText}' is not one of {string.Join(", ", LfrRoles.All)}");
                var pfx = Guard(() => ForcePki.Issue(ca, role, name, output, days));
                Console.Out.WriteLine($"{role.Name()} {name}: {pfx} (certificate and private key, 0600)");
                Console.Out.WriteLine($"  Lfr:Node:Tls:CertificatePath = {pfx}");
                Console.Out.WriteLine($"  Lfr:Node:Tls:CaCertificatePath = {Path.Combine(Path.GetDirectoryName(pfx)!, ForcePki.CaCertificateFile)}");
                Console.Out.WriteLine($"  Lfr:Node:NodeName = {name}");
                return 0;
            }
            default:
                throw new CliException(Usage);
        }
    }

    private static string Guard(Func<string> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new CliException(e.Message);
        }
    }
}
