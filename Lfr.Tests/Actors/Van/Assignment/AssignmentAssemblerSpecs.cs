using Lfr.Actors.Van.Assignment;
using Lfr.Vision.Watchlists;

namespace Lfr.Tests.Actors.Van.Assignment;

public sealed class AssignmentAssemblerSpecs
{
    private static readonly DateTimeOffset WindowEnd = new(2026, 3, 2, 17, 0, 0, TimeSpan.Zero);
    private readonly AssignmentSigner _key = Assignments.NewKey();

    [Fact]
    public void Assembler_should_build_the_index_of_a_complete_signed_assignment_and_zero_its_own_copies()
    {
        var (offer, chunks) = Assignments.Signed(_key, DateTimeOffset.UtcNow, "van-1", 50, WindowEnd);
        var assembler = new AssignmentAssembler(offer);
        // out of order and with a resend, as a retrying link delivers them
        foreach (var chunk in chunks.Reverse().Append(chunks[0])) assembler.Add(chunk);

        var (index, problem) = assembler.Verify(_key.Verifier, "van-1", Assignments.Model);

        Assert.Null(problem);
        Assert.Equal(50, index!.Count);
        Assert.Equal(3, offer.Chunks);
        Assert.All(chunks.SelectMany(c => c.Entries), e => Assert.All(e.Embedding, v => Assert.Equal(0f, v)));
    }

    [Fact]
    public void Assembler_should_refuse_a_tampered_chunk()
    {
        var (offer, chunks) = Assignments.Signed(_key, DateTimeOffset.UtcNow, "van-1", 30, WindowEnd);
        var assembler = new AssignmentAssembler(offer);
        assembler.Add(chunks[0]);
        assembler.Add(Assignments.Tampered(chunks[1]));

        var (index, problem) = assembler.Verify(_key.Verifier, "van-1", Assignments.Model);

        Assert.Null(index);
        Assert.Contains("signature does not match", problem);
    }

    [Fact]
    public void Assembler_should_refuse_an_assignment_signed_with_another_key()
    {
        var (offer, chunks) = Assignments.Signed(Assignments.NewKey(), DateTimeOffset.UtcNow, "van-1", 5, WindowEnd);
        var assembler = new AssignmentAssembler(offer);
        assembler.Add(chunks[0]);

        Assert.Contains("signature does not match", assembler.Verify(_key.Verifier, "van-1", Assignments.Model).Problem);
    }

    [Fact]
    public void Assembler_should_refuse_a_short_assignment_whose_count_does_not_match()
    {
        var (offer, chunks) = Assignments.Signed(_key, DateTimeOffset.UtcNow, "van-1", 30, WindowEnd);
        var assembler = new AssignmentAssembler(offer);
        assembler.Add(chunks[0]);
        assembler.Add(chunks[1] with { Entries = chunks[1].Entries.Skip(1).ToArray() });

        Assert.Equal("29 entries arrived, 30 were announced", assembler.Verify(_key.Verifier, "van-1", Assignments.Model).Problem);
    }

    [Fact]
    public void Assembler_should_refuse_an_assignment_with_a_chunk_missing()
    {
        var (offer, chunks) = Assignments.Signed(_key, DateTimeOffset.UtcNow, "van-1", 30, WindowEnd);
        var assembler = new AssignmentAssembler(offer);
        assembler.Add(chunks[1]);

        Assert.False(assembler.IsComplete);
        Assert.Equal("1 of 2 chunks are missing", assembler.Verify(_key.Verifier, "van-1", Assignments.Model).Problem);
    }

    [Fact]
    public void Assembler_should_refuse_an_assignment_for_another_van_or_another_model()
    {
        var (offer, chunks) = Assignments.Signed(_key, DateTimeOffset.UtcNow, "van-1", 5, WindowEnd);
        var forVan2 = new AssignmentAssembler(offer);
        forVan2.Add(chunks[0]);
        Assert.Contains("is for van-1, not for this van (van-2)", forVan2.Verify(_key.Verifier, "van-2", Assignments.Model).Problem);

        (offer, chunks) = Assignments.Signed(_key, DateTimeOffset.UtcNow, "van-1", 5, WindowEnd);
        var otherModel = new AssignmentAssembler(offer);
        otherModel.Add(chunks[0]);
        Assert.Contains("enrolled with model", otherModel.Verify(_key.Verifier, "van-1", new string('0', 64)).Problem);
    }

    [Fact]
    public void Assembler_should_ignore_a_chunk_of_another_transfer()
    {
        var (offer, _) = Assignments.Signed(_key, DateTimeOffset.UtcNow, "van-1", 5, WindowEnd);
        var (_, others) = Assignments.Signed(_key, DateTimeOffset.UtcNow, "van-1", 5, WindowEnd);
        var assembler = new AssignmentAssembler(offer);

        Assert.False(assembler.Add(others[0]));
        Assert.False(assembler.IsComplete);
    }
}
