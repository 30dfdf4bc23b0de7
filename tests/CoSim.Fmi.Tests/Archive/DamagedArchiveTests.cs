using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using CoSim.Core;
using CoSim.Fmi.Archive;

namespace CoSim.Fmi.Tests.Archive;

/// <summary>
/// Regression tests of what fuzzing the FMU archive reader found (scripts/fuzz fmu-archive, docs/security.md): damaged
/// zips escaped <see cref="FmuArchive.Open"/> as InvalidDataException or ArgumentException stack traces. Each archive
/// here is a valid one with the damage the fuzzer made, patched at the same field; each must be one InputException line.
/// </summary>
public class DamagedArchiveTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("cosim-damaged-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    /// <summary>A zip of <paramref name="entries"/> (deflated), patched by <paramref name="damage"/>, written to a file.</summary>
    private string Archive(Action<byte[]> damage, params string[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var entry in entries)
            {
                using var s = zip.CreateEntry(entry, CompressionLevel.Optimal).Open();
                s.Write(Encoding.UTF8.GetBytes("<fmiModelDescription fmiVersion=\"2.0\"/> and some more text to deflate"));
            }
        var bytes = buffer.ToArray();
        damage(bytes);
        var path = Path.Combine(_dir, "damaged.fmu");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static int Find(byte[] bytes, uint signature, int from = 0)
    {
        for (var i = from; i + 4 <= bytes.Length; i++)
            if (BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i)) == signature) return i;
        throw new InvalidOperationException($"signature {signature:X8} not found");
    }

    private const uint LocalHeader = 0x04034b50, CentralHeader = 0x02014b50, EndOfCentralDirectory = 0x06054b50;

    public static IEnumerable<TestCaseData> Damages()
    {
        yield return new TestCaseData((Action<byte[]>)(b =>
        {
            var end = Find(b, EndOfCentralDirectory);
            b[end + 8]++; // entries on this disk
            b[end + 10]++; // entries in total: more than the central directory holds
        }), "damaged").SetArgDisplayNames("entry count disagrees with the central directory");
        yield return new TestCaseData((Action<byte[]>)(b => b[Find(b, LocalHeader) + 1] = 0), "damaged")
            .SetArgDisplayNames("corrupt local file header");
        yield return new TestCaseData((Action<byte[]>)(b =>
        {
            var local = Find(b, LocalHeader);
            var data = local + 30 + BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(local + 26)) + BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(local + 28));
            b[data] = 0xFF; // deflate block type 3: reserved
        }), "damaged").SetArgDisplayNames("invalid deflate data");
        yield return new TestCaseData((Action<byte[]>)(b => b[Find(b, CentralHeader) + 34] = 1), "damaged")
            .SetArgDisplayNames("entry on another disk (spanned archive)");
    }

    [TestCaseSource(nameof(Damages))]
    public void Open_DamagedZip_IsOneLineNamingTheFile(Action<byte[]> damage, string expected)
    {
        var path = Archive(damage, "modelDescription.xml");

        var e = Should.Throw<InputException>(() => FmuArchive.Open(path, Path.Combine(_dir, "cache")));

        e.Message.ShouldStartWith($"{path}: not an FMU: the zip archive is {expected}");
        e.Message.ShouldNotContain("\n");
    }

    [Test]
    public void Open_EntryNameWithNulCharacter_IsRefused()
    {
        var path = Archive(_ => { }, "model\0Description.xml");

        Should.Throw<InputException>(() => FmuArchive.Open(path, Path.Combine(_dir, "cache"))).Message
            .ShouldBe($"{path}: entry 'model\\u0000Description.xml' has a NUL character in its name");
    }

    [Test]
    public void Open_UnsafeEntryWithLineBreakInItsName_IsOneLine()
    {
        var path = Archive(_ => { }, "../evil\nname.txt");

        Should.Throw<InputException>(() => FmuArchive.Open(path, Path.Combine(_dir, "cache"))).Message
            .ShouldBe($"{path}: unsafe entry '../evil\\nname.txt' would be written outside the extraction folder");
    }

    [Test]
    public void Open_FileEntryWhereAnEarlierEntryMadeAFolder_IsRefusedNamingTheEntry()
    {
        var path = Archive(_ => { }, "resources/data/x.txt", "resources/data");

        Should.Throw<InputException>(() => FmuArchive.Open(path, Path.Combine(_dir, "cache"))).Message
            .ShouldStartWith($"{path}: cannot unpack entry 'resources/data': ");
    }
}
