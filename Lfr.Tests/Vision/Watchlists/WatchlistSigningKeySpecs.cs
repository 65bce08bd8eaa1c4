using Lfr.Tests.Vision.Matching;
using Lfr.Vision.Watchlists;

namespace Lfr.Tests.Vision.Watchlists;

public class WatchlistSigningKeySpecs : IDisposable
{
    private const string Model = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private readonly string _folder = Directory.CreateTempSubdirectory("lfr-key-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Resolve_should_create_an_owner_only_key_on_first_use_and_reuse_it()
    {
        var dataFolder = Path.Combine(_folder, "lfr");
        var first = WatchlistSigningKey.Resolve(new WatchlistKeySettings(DataFolder: dataFolder));
        var second = WatchlistSigningKey.Resolve(new WatchlistKeySettings(DataFolder: dataFolder));

        var path = Path.Combine(dataFolder, WatchlistSigningKey.DefaultFileName);
        Assert.True(first.Created);
        Assert.Equal(path, first.Origin);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(32, Convert.FromBase64String(File.ReadAllText(path)).Length);
        Assert.False(second.Created);
        Assert.Equal(path, second.Origin);
        Assert.True(SameKey(first.Key, second.Key));
    }

    [Fact]
    public void Resolve_should_prefer_the_configured_key_and_create_nothing()
    {
        var base64 = Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());
        var dataFolder = Path.Combine(_folder, "lfr");
        var resolved = WatchlistSigningKey.Resolve(new WatchlistKeySettings(KeyBase64: base64, DataFolder: dataFolder));

        Assert.False(resolved.Created);
        Assert.Equal(WatchlistKeySettings.KeyVariable, resolved.Origin);
        Assert.True(SameKey(WatchlistSigningKey.FromBase64(base64), resolved.Key));
        Assert.False(Directory.Exists(dataFolder));
        Assert.DoesNotContain(base64, new WatchlistKeySettings(KeyBase64: base64).ToString());
    }

    [Fact]
    public void Resolve_should_read_a_configured_key_file()
    {
        var keyFile = Path.Combine(_folder, "my.key");
        File.WriteAllText(keyFile, Convert.ToBase64String(new byte[48]) + "\n");
        var resolved = WatchlistSigningKey.Resolve(new WatchlistKeySettings(KeyFile: keyFile));
        Assert.Equal(keyFile, resolved.Origin);
        Assert.True(SameKey(WatchlistSigningKey.FromBytes(new byte[48]), resolved.Key));
    }

    [Fact]
    public void Resolve_should_refuse_a_short_key_and_two_configured_keys()
    {
        var shortKey = Convert.ToBase64String(new byte[16]);
        Assert.Throws<ArgumentException>(() => WatchlistSigningKey.Resolve(new WatchlistKeySettings(KeyBase64: shortKey)));
        Assert.Throws<ArgumentException>(() => WatchlistSigningKey.Resolve(
            new WatchlistKeySettings(KeyBase64: Convert.ToBase64String(new byte[32]), KeyFile: Path.Combine(_folder, "k"))));
    }

    private bool SameKey(WatchlistSigningKey a, WatchlistSigningKey b)
    {
        var path = Path.Combine(_folder, $"{Guid.NewGuid():N}.lfrw");
        var entry = new WatchlistEntry(new WatchlistEntryId("w-1"), WatchlistCategory.CourtWarrant, RandomEmbeddings.Unit(new Random(1)));
        WatchlistFile.Write(path, [entry], Model, DateTimeOffset.UnixEpoch, a);
        try
        {
            WatchlistFile.Read(path, Model, b);
            return true;
        }
        catch (WatchlistFileException e) when (e.Error == WatchlistFileError.SignatureMismatch)
        {
            return false;
        }
    }
}
