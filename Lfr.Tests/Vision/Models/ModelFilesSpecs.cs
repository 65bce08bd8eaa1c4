using System.Diagnostics;
using System.Security.Cryptography;
using Lfr.Vision.Models;

namespace Lfr.Tests.Vision.Models;

public sealed class ModelFilesSpecs : IDisposable
{
    private const string ModelPackage = "faceplugin-face-recognition-js@0.0.1";
    private static readonly string RealModels = Path.Combine(AppContext.BaseDirectory, "models");
    private readonly string _folder = Directory.CreateTempSubdirectory("lfr-models-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Locate_should_verify_the_built_models_against_the_committed_sums()
    {
        var committed = CommittedSums();

        var models = ModelFiles.Locate(RealModels);

        Assert.Equal(RealModels, models.Folder);
        Assert.Equal(committed.Keys.Order(), ModelFiles.Expected.Keys.Order());
        foreach (var (name, sum) in committed)
        {
            var file = models[name];
            Assert.Equal(Path.Combine(RealModels, name + ".onnx"), file.Path);
            Assert.Equal(sum, file.Sha256);
            Assert.Equal(sum, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file.Path))));
        }
    }

    [Fact]
    public void Locate_should_refuse_a_model_whose_bytes_changed()
    {
        foreach (var file in Directory.GetFiles(RealModels, "*.onnx"))
            File.Copy(file, Path.Combine(_folder, Path.GetFileName(file)));
        var corrupted = Path.Combine(_folder, ModelFiles.Embedder + ".onnx");
        FlipMiddleByte(corrupted);

        var error = Assert.Throws<ModelException>(() => ModelFiles.Locate(_folder));

        Assert.Contains(corrupted, error.Message);
        Assert.Contains("refusing to load it", error.Message);
    }

    [Fact]
    public void Locate_should_say_how_to_get_the_models_when_the_folder_is_empty()
    {
        var error = Assert.Throws<ModelException>(() => ModelFiles.Locate(_folder));

        Assert.Contains(_folder, error.Message);
        Assert.Contains("Build the project", error.Message);
        Assert.Contains("LFR_MODELS", error.Message);
    }

    [Fact]
    public void Fetch_script_should_succeed_offline_when_the_destination_already_holds_the_verified_files()
    {
        var result = RunFetchScript(RealModels);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Empty(result.StdErr);
    }

    [Fact]
    public void Fetch_script_should_fail_with_one_clear_message_when_a_file_is_wrong_and_npm_is_missing()
    {
        foreach (var file in Directory.GetFiles(RealModels, "*.onnx"))
            File.Copy(file, Path.Combine(_folder, Path.GetFileName(file)));
        FlipMiddleByte(Path.Combine(_folder, ModelFiles.Detector + ".onnx"));

        var result = RunFetchScript(_folder);

        Assert.True(result.ExitCode != 0, result.ToString());
        var lines = result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"one message, not a trace:\n{result.StdErr}");
        Assert.StartsWith("lfr: ", lines[0]);
        Assert.Contains("npm", lines[0]);
        Assert.Contains("LFR_MODELS", lines[0]);
        // nothing was half-installed over the wrong file
        Assert.Equal(Directory.GetFiles(RealModels, "*.onnx").Length, Directory.GetFiles(_folder).Length);
    }

    private static void FlipMiddleByte(string path)
    {
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(path, bytes);
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Lfr.sln")))
                return dir.FullName;
        throw new InvalidOperationException($"no Lfr.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>build/models.sha256: "sum  model/NAME.onnx" per line, by model name.</summary>
    private static Dictionary<string, string> CommittedSums() =>
        File.ReadLines(Path.Combine(RepoRoot(), "build", "models.sha256"))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(p => p.Length == 2)
            .ToDictionary(p => Path.GetFileNameWithoutExtension(p[1]), p => p[0]);

    /// <summary>
    /// Runs build/fetch-npm-assets.sh with a PATH that holds only the tools it needs besides npm, so npm
    /// (and with it any download) is out of reach.
    /// </summary>
    private (int ExitCode, string StdOut, string StdErr) RunFetchScript(string dest)
    {
        var bin = Directory.CreateTempSubdirectory("lfr-bin-").FullName;
        try
        {
            foreach (var tool in new[] { "sha256sum", "cut", "basename", "mktemp", "rm", "tar", "mkdir", "cp", "mv", "tail", "cat" })
            {
                var found = new[] { "/usr/bin", "/bin" }.Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists);
                if (found is not null) File.CreateSymbolicLink(Path.Combine(bin, tool), found);
            }
            var root = RepoRoot();
            var start = new ProcessStartInfo("/bin/bash")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var a in new[] { Path.Combine(root, "build", "fetch-npm-assets.sh"), ModelPackage, Path.Combine(root, "build", "models.sha256"), dest })
                start.ArgumentList.Add(a);
            start.Environment.Clear();
            start.Environment["PATH"] = bin;
            start.Environment["HOME"] = _folder;
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail("fetch-npm-assets.sh ran past 60 s");
            }
            process.WaitForExit();
            return (process.ExitCode, stdout.Result, stderr.Result);
        }
        finally
        {
            Directory.Delete(bin, recursive: true);
        }
    }
}
