using Microsoft.Extensions.Configuration;

namespace Lfr.Host.Web.Auth;

/// <summary>One person who may sign in. <see cref="StaffId"/> is what the control room records them by.</summary>
public sealed record WebUser(string Name, string PasswordHash, IReadOnlySet<string> Roles, string StaffId);

/// <summary>
/// The web interface's settings, from <c>Lfr:Web</c>: users (<c>Users:NAME:PasswordHash</c>, <c>:Roles</c> as a
/// comma-separated list or an array, <c>:StaffId</c>), <c>SessionMinutes</c> (sliding, default 30) and
/// <c>PublicContact</c>: how the public asks questions or makes a subject access request, shown on the public notice.
/// </summary>
public sealed record WebSettings(IReadOnlyDictionary<string, WebUser> Users, TimeSpan Session, string PublicContact = WebSettings.DefaultPublicContact)
{
    public const string DefaultPublicContact =
        "Ask the officers at the van, or write to the force's Data Protection Officer quoting the place and date; a subject access request is answered within one month.";

    public const string Section = "Lfr:Web";

    public IEnumerable<WebUser> InRole(string role) => Users.Values.Where(u => u.Roles.Contains(role)).OrderBy(u => u.Name, StringComparer.Ordinal);

    /// <summary>Reads and checks everything at once; every problem is listed in one <see cref="WebSettingsException"/>.</summary>
    public static WebSettings FromConfiguration(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var problems = new List<string>();
        var users = new Dictionary<string, WebUser>(StringComparer.Ordinal);
        foreach (var user in section.GetSection("Users").GetChildren())
        {
            var key = $"{Section}:Users:{user.Key}";
            var hash = user["PasswordHash"];
            if (!PasswordHash.IsWellFormed(hash, out var problem))
                problems.Add($"{key}:PasswordHash {problem}");
            var roles = ReadRoles(user.GetSection("Roles"));
            if (roles.Count == 0)
                problems.Add($"{key}:Roles is empty; give one or more of {string.Join(", ", WebRoles.All)}");
            foreach (var role in roles.Where(r => !WebRoles.All.Contains(r)))
                problems.Add($"{key}:Roles has unknown role '{role}'; known: {string.Join(", ", WebRoles.All)}");
            var staff = user["StaffId"];
            if (string.IsNullOrWhiteSpace(staff))
                problems.Add($"{key}:StaffId is missing (the warrant or collar number the audit log records)");
            users[user.Key] = new WebUser(user.Key, hash ?? "", roles, staff ?? "");
        }

        var duplicateStaff = users.Values.Where(u => u.StaffId.Length > 0).GroupBy(u => u.StaffId).FirstOrDefault(g => g.Count() > 1);
        if (duplicateStaff is not null)
            problems.Add($"{Section}:Users: staff id {duplicateStaff.Key} is given to {string.Join(" and ", duplicateStaff.Select(u => u.Name))}");

        var minutes = 30.0;
        if (section["SessionMinutes"] is { } text && (!double.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out minutes) || minutes <= 0))
            problems.Add($"{Section}:SessionMinutes must be a positive number of minutes, not '{text}'");

        if (problems.Count > 0)
            throw new WebSettingsException(string.Join(Environment.NewLine, problems));
        var contact = section["PublicContact"] is { Length: > 0 } given ? given.Trim() : DefaultPublicContact;
        return new WebSettings(users, TimeSpan.FromMinutes(minutes), contact);
    }

    private static HashSet<string> ReadRoles(IConfigurationSection roles)
    {
        var values = roles.Value is { } list ? list.Split(',') : roles.GetChildren().Select(c => c.Value ?? "");
        return values.Select(r => r.Trim()).Where(r => r.Length > 0).ToHashSet(StringComparer.Ordinal);
    }
}

public sealed class WebSettingsException(string message) : Exception(message);
