namespace Lfr.Actors.Cluster;

/// <summary>What a node does in the cluster; each role is one Akka.Cluster role of the same name.</summary>
public enum LfrRole
{
    Van,
    ControlRoom,
    Console,
}

/// <summary>The cluster role names, as configuration, HOCON and <c>Member.Roles</c> spell them.</summary>
public static class LfrRoles
{
    public const string Van = "van";
    public const string ControlRoom = "control-room";
    public const string Console = "console";

    public static IReadOnlyList<string> All { get; } = [Van, ControlRoom, Console];

    public static string Name(this LfrRole role) => role switch
    {
        LfrRole.Van => Van,
        LfrRole.ControlRoom => ControlRoom,
        LfrRole.Console => Console,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };

    public static bool TryParse(string? name, out LfrRole role)
    {
        switch (name?.Trim().ToLowerInvariant())
        {
            case Van: role = LfrRole.Van; return true;
            case ControlRoom: role = LfrRole.ControlRoom; return true;
            case Console: role = LfrRole.Console; return true;
            default: role = default; return false;
        }
    }
}
