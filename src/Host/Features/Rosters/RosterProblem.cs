namespace Workflows.Host.Features.Rosters;

/// <summary>
/// One line of an import report: where (sheet, row as Excel numbers it with the header on row 1, column as its
/// header reads), the value found, and what is wrong in Chinese then English. <see cref="Code"/> names the kind of
/// problem for programs (see <see cref="RosterProblemCodes"/>).
/// </summary>
public sealed record RosterProblem(string? Sheet, int? Row, string? Column, string? Value, string Problem, string Code);

/// <summary>The kinds of problem an import reports.</summary>
public static class RosterProblemCodes
{
    public const string FileType = "file-type";
    public const string FileEmpty = "file-empty";
    public const string FileUnreadable = "file-unreadable";
    public const string FileTooLarge = "file-too-large";
    public const string KindRequired = "kind-required";
    public const string SheetUnknown = "sheet-unknown";
    public const string SheetDuplicate = "sheet-duplicate";
    public const string ColumnUnknown = "column-unknown";
    public const string ColumnDuplicate = "column-duplicate";
    public const string ColumnMissing = "column-missing";
    public const string Required = "required";
    public const string TooLong = "too-long";
    public const string DuplicateCode = "duplicate-code";
    public const string CodeConflict = "code-conflict";
    public const string DuplicateEmail = "duplicate-email";
    public const string DuplicateEmployeeNo = "duplicate-employee-no";
    public const string DuplicateRow = "duplicate-row";
    public const string EmailFormat = "email-format";
    public const string PhoneFormat = "phone-format";
    public const string UnknownSchool = "unknown-school";
    public const string UnknownFederation = "unknown-federation";
    public const string UnknownScope = "unknown-scope";
    public const string UnknownUser = "unknown-user";
    public const string DateFormat = "date-format";
    public const string DateFuture = "date-future";
    public const string BirthYearRange = "birth-year-range";
    public const string RoleUnknown = "role-unknown";
    public const string RoleScope = "role-scope";
    public const string YesNo = "yes-no";
    public const string Status = "status";
    public const string CoreMissing = "core-missing";
    public const string CoreMultiple = "core-multiple";
    public const string CoreElsewhere = "core-elsewhere";
    public const string CoreMismatch = "core-mismatch";
    public const string LastAdministrator = "last-administrator";
}
