using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Lfr.Host.Web.Auth;

/// <summary>
/// PBKDF2-SHA256 password hashes as <c>pbkdf2-sha256$ITERATIONS$SALT$HASH</c> (base64), the form
/// <c>lfr user hash</c> prints and <c>Lfr:Web:Users:NAME:PasswordHash</c> holds. Only the hash is ever configured.
/// </summary>
public static class PasswordHash
{
    private const string Scheme = "pbkdf2-sha256";

    /// <summary>OWASP's 2023 figure for PBKDF2-HMAC-SHA256.</summary>
    public const int DefaultIterations = 600_000;

    public static string Create(string password, int iterations = DefaultIterations)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, 32);
        return string.Join('$', Scheme, iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    /// <summary>True when <paramref name="encoded"/> is a well-formed hash, with the reason when it is not.</summary>
    public static bool IsWellFormed(string? encoded, out string problem)
    {
        problem = "";
        if (TryParse(encoded, out _, out _, out _)) return true;
        problem = $"is not a {Scheme}$ITERATIONS$SALT$HASH value (make one with `lfr user hash`)";
        return false;
    }

    /// <summary>The iteration count of a well-formed hash; 0 otherwise.</summary>
    public static int Iterations(string encoded) => TryParse(encoded, out var iterations, out _, out _) ? iterations : 0;

    public static bool Verify(string password, string encoded)
    {
        if (!TryParse(encoded, out var iterations, out var salt, out var expected)) return false;
        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private static bool TryParse(string? encoded, out int iterations, out byte[] salt, out byte[] hash)
    {
        iterations = 0;
        salt = hash = [];
        var parts = encoded?.Split('$') ?? [];
        if (parts.Length != 4 || parts[0] != Scheme) return false;
        if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out iterations) || iterations < 1) return false;
        try
        {
            salt = Convert.FromBase64String(parts[2]);
            hash = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return false;
        }

        return salt.Length >= 8 && hash.Length >= 16;
    }
}
