using System.Text.RegularExpressions;

using MetaService.Core;
using MetaService.Server.Wire;

namespace MetaService.Server.Ui.Editing;

/// <summary>
/// The server's own answer to a form, <c>{code, message}</c>, shown beside the form as it is, and each of its parts (the
/// API joins the rules a request broke with "; ") shown on the field it names as well, for the field's
/// <c>aria-describedby</c>. A part that names no field of the form stays with the whole message only.
/// </summary>
public sealed partial record FormProblem(int Code, string Message, int Status, IReadOnlyDictionary<string, string> ByField)
{
    public const string Id = "form-problem";

    public static FormProblem Of(MetaError error)
    {
        var byField = new Dictionary<string, string>(StringComparer.Ordinal);
        var message = error.Message.EndsWith(MetaError.CheckInput, StringComparison.Ordinal) ? error.Message[..^MetaError.CheckInput.Length] : error.Message;
        foreach (var part in message.Split("; "))
        {
            if (FieldOf(part) is { } field)
            {
                byField[field] = byField.TryGetValue(field, out var earlier) ? earlier + "; " + part : part;
            }
        }

        return new FormProblem(error.Code, error.Message, WireResults.StatusOf(error.Kind), byField);
    }

    /// <summary>The id of the element that says what is wrong with <paramref name="field"/>, or null when nothing is.</summary>
    public string? DescribedBy(string field) => ByField.ContainsKey(field) ? "problem-" + field : null;

    /// <summary>The field a message part is about: the most specific name it mentions first (a pre-stop timeout is not
    /// the function's timeout, an instance count not the name).</summary>
    private static string? FieldOf(string part)
    {
        foreach (var (field, pattern) in Patterns)
        {
            if (pattern.IsMatch(part))
            {
                return field;
            }
        }

        return null;
    }

    private static readonly (string Field, Regex Pattern)[] Patterns =
    [
        ("preStopTimeout", PreStopTimeout()), ("preStop", Word("pre_?stop")), ("initializerTimeout", Word("initializerTimeout")),
        ("minInstance", Word("minInstance")), ("maxInstance", Word("maxInstance")), ("concurrentNum", Word("concurrentNum")),
        ("env", Word("environment")), ("description", Word("description")), ("codePath", Word("codePath")),
        ("storageType", Word("storageType")), ("bucketId", Word("bucket")), ("objectId", Word("object")),
        ("name", NamePart()), ("runtime", Word("runtime")), ("kind", Word("kind")), ("handler", Word("handler")),
        ("cpu", Word("cpu")), ("memory", Word("memory")), ("timeout", Word("timeout")),
    ];

    private static Regex Word(string word) => new($@"\b{word}\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    [GeneratedRegex(@"\bpre_?stop\b.*\btime_?out\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PreStopTimeout();

    [GeneratedRegex(@"^name\b|format is 0@|\bfunction name\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NamePart();
}