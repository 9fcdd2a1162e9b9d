using System.Globalization;
using MiniExcelLibs;
using static Workflows.Host.Features.Rosters.RosterProblemCodes;

namespace Workflows.Host.Features.Rosters;

/// <summary>One cell: what the file holds (a string, a number, a date…) and its text as the report shows it.</summary>
public sealed record RosterCell(object? Raw, string Text)
{
    public static readonly RosterCell Empty = new(null, "");

    public bool IsEmpty => Text.Length == 0;

    public static RosterCell Of(object? raw) => new(raw, TextOf(raw));

    private static string TextOf(object? raw) => raw switch
    {
        null => "",
        string s => s.Trim(),
        double d when Math.Abs(d) < 1e15 && d == Math.Floor(d) => ((long)d).ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        decimal m => m.ToString(CultureInfo.InvariantCulture),
        DateTime dt => dt.TimeOfDay == TimeSpan.Zero
            ? dt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : dt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        bool b => b ? "TRUE" : "FALSE",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture).Trim(),
        _ => raw.ToString()?.Trim() ?? "",
    };
}

/// <summary>A data row of a sheet: its Excel row number and its cells by field.</summary>
public sealed class RosterRow(int number, IReadOnlyDictionary<string, RosterCell> cells)
{
    public int Number { get; } = number;

    public RosterCell this[string field] => cells.TryGetValue(field, out var cell) ? cell : RosterCell.Empty;
}

/// <summary>A sheet read against its layout: which columns it has (by the header the user wrote) and its non-empty rows.</summary>
public sealed class RosterTable(RosterSheetLayout layout, string sheet, IReadOnlyDictionary<string, string> headers, IReadOnlyList<RosterRow> rows)
{
    public RosterSheetLayout Layout { get; } = layout;

    /// <summary>The sheet's name as the report shows it (the layout's Chinese name for a CSV file).</summary>
    public string Sheet { get; } = sheet;

    public IReadOnlyList<RosterRow> Rows { get; } = rows;

    public bool Has(string field) => headers.ContainsKey(field);

    /// <summary>The header text of <paramref name="field"/> as written in the file (or the layout's, when the column is missing).</summary>
    public string Header(string field) => headers.TryGetValue(field, out var header) ? header : Layout.Column(field).Header;
}

/// <summary>What reading a file gave: the sheets, and problems with the file itself, its sheets or its headers.</summary>
public sealed record RosterFileContent(IReadOnlyList<RosterTable> Tables, IReadOnlyList<RosterProblem> Problems);

/// <summary>Reads an uploaded .xlsx workbook (one sheet per kind) or a .csv file (one kind) into <see cref="RosterTable"/>s.</summary>
public static class RosterReader
{
    public const int MaxBytes = 20 * 1024 * 1024;
    public const int MaxRows = 50_000;
    public const int MaxColumns = 200;

    /// <summary>One uploaded file.</summary>
    public sealed record Upload(byte[] Content, string? FileName);

    public static RosterFileContent Read(byte[] content, string? fileName, string? kind) => Read([new Upload(content, fileName)], kind);

    /// <summary>
    /// Reads every file of an upload as one roster: a workbook gives its sheets, a CSV file the kind <paramref name="kind"/>
    /// names (one file only) or that its header row shows. Each kind may come once.
    /// </summary>
    public static RosterFileContent Read(IReadOnlyList<Upload> files, string? kind)
    {
        var problems = new List<RosterProblem>();
        var tables = new List<RosterTable>();
        RosterSheetLayout? layout = null;
        if (!string.IsNullOrWhiteSpace(kind) && (layout = RosterLayout.Find(kind)) is null)
            problems.Add(new RosterProblem(null, null, null, kind, $"kind 必须是 {KindList} 之一 / kind must be one of {KindList}.", KindRequired));
        else if (layout is not null && files.Count > 1)
            problems.Add(new RosterProblem(null, null, null, kind,
                "上传多个文件时不能指定 kind，每个 CSV 文件的种类由其表头判断 / kind cannot be given with several files; each CSV file's kind is read from its header.", KindRequired));
        if (files.Count == 0)
            problems.Add(new RosterProblem(null, null, null, null, "没有上传文件（字段名 file） / No file was uploaded (field \"file\").", FileEmpty));
        if (problems.Count > 0) return new RosterFileContent([], problems);

        var sources = new Dictionary<RosterKind, string>();
        foreach (var file in files)
        {
            var name = string.IsNullOrWhiteSpace(file.FileName) ? "(file)" : Path.GetFileName(file.FileName);
            foreach (var table in ReadFile(file.Content, name, layout, problems))
            {
                if (sources.TryAdd(table.Layout.Kind, name)) tables.Add(table);
                else
                    problems.Add(new RosterProblem(table.Sheet, null, null, name,
                        $"“{table.Layout.SheetName}”在上传中出现了两次（{sources[table.Layout.Kind]}、{name}） / The {table.Layout.KindName} come twice in the upload ({sources[table.Layout.Kind]}, {name}).",
                        SheetDuplicate));
            }
        }
        if (problems.Count == 0 && tables.All(t => t.Rows.Count == 0))
            problems.Add(new RosterProblem(null, null, null, string.Join("、", files.Select(f => Path.GetFileName(f.FileName ?? ""))),
                "文件中没有数据行 / The file holds no data rows.", FileEmpty));
        return new RosterFileContent(tables, problems);
    }

    private static List<RosterTable> ReadFile(byte[] content, string name, RosterSheetLayout? layout, List<RosterProblem> problems)
    {
        List<RosterTable> Fail(string code, string problem)
        {
            problems.Add(new RosterProblem(null, null, null, name, problem, code));
            return [];
        }

        if (content.Length == 0) return Fail(FileEmpty, "文件是空的 / The file is empty.");
        if (content.Length > MaxBytes)
            return Fail(FileTooLarge, $"文件超过 {MaxBytes / 1024 / 1024} MB / The file is larger than {MaxBytes / 1024 / 1024} MB.");

        var extension = Path.GetExtension(name).ToLowerInvariant();
        var isZip = content.Length >= 4 && content[0] == 0x50 && content[1] == 0x4B && content[2] == 0x03 && content[3] == 0x04;
        var isOle = content.Length >= 4 && content[0] == 0xD0 && content[1] == 0xCF && content[2] == 0x11 && content[3] == 0xE0;

        if (extension is ".xls" || isOle)
            return Fail(FileType, "不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx / Old .xls files are not supported; save the workbook as .xlsx.");
        if (extension is ".xlsx" or ".xlsm" || (extension.Length == 0 && isZip))
        {
            if (!isZip) return Fail(FileUnreadable, "文件不是有效的 .xlsx 工作簿 / The file is not a valid .xlsx workbook.");
            var tables = ReadWorkbook(content, layout, problems);
            return tables ?? Fail(FileUnreadable, "无法读取此 .xlsx 工作簿 / The .xlsx workbook cannot be read.");
        }
        if (extension is ".csv" or ".txt" || (extension.Length == 0 && !isZip))
        {
            if (isZip) return Fail(FileType, "此文件是 .xlsx 工作簿，不是 CSV，请使用 .xlsx 扩展名 / This is an .xlsx workbook, not CSV; name it .xlsx.");
            var grid = RosterCsv.Parse(RosterCsv.Decode(content)).Select(r => r.Select(v => (object?)v).ToArray()).ToList();
            if (grid.Count > MaxRows + 1)
                return Fail(FileTooLarge, $"文件超过 {MaxRows} 行 / The file has more than {MaxRows} rows.");
            if (grid.All(r => r.All(v => RosterCell.Of(v).IsEmpty))) return Fail(FileEmpty, "文件中没有数据 / The file holds nothing.");
            layout ??= Guess(grid);
            if (layout is null)
                return Fail(KindRequired, $"无法从表头判断 CSV 文件的种类，请给出 kind（{KindList}） / Cannot tell from its header which roster this CSV is; give kind ({KindList}).");
            return [Table(layout, layout.SheetName, grid, problems)];
        }
        return Fail(FileType, "只接受 .xlsx 或 .csv 文件 / Only .xlsx and .csv files are accepted.");
    }

    private static string KindList => string.Join("、", RosterLayout.All.Select(l => $"{l.KindName}（{l.SheetName}）"));

    /// <summary>The workbook's sheets (only <paramref name="only"/>'s when given); null when it cannot be read.</summary>
    private static List<RosterTable>? ReadWorkbook(byte[] content, RosterSheetLayout? only, List<RosterProblem> problems)
    {
        var tables = new List<RosterTable>();
        try
        {
            List<string> sheetNames;
            using (var stream = new MemoryStream(content, writable: false)) sheetNames = MiniExcel.GetSheetNames(stream);
            var seen = new Dictionary<RosterKind, string>();
            var found = false;
            foreach (var sheetName in sheetNames)
            {
                var layout = RosterLayout.Find(sheetName);
                if (only is not null && layout != only) continue;
                var grid = ReadSheet(content, sheetName, problems);
                if (grid is null) return tables;
                if (layout is null)
                {
                    if (grid.Any(r => r.Any(v => !RosterCell.Of(v).IsEmpty)))
                        problems.Add(new RosterProblem(sheetName, null, null, null,
                            $"未知的工作表“{sheetName}”，工作表应命名为 {SheetList} / Unknown sheet \"{sheetName}\"; sheets must be named {SheetList}.", SheetUnknown));
                    continue;
                }
                if (!seen.TryAdd(layout.Kind, sheetName))
                {
                    problems.Add(new RosterProblem(sheetName, null, null, null,
                        $"与工作表“{seen[layout.Kind]}”重复（都是{layout.SheetName}） / Same kind as sheet \"{seen[layout.Kind]}\" ({layout.KindName}).", SheetDuplicate));
                    continue;
                }
                found = true;
                tables.Add(Table(layout, sheetName, grid, problems));
            }
            if (only is not null && !found)
                problems.Add(new RosterProblem(only.SheetName, null, null, null,
                    $"工作簿中没有“{only.SheetName}”工作表 / The workbook has no \"{only.SheetName}\" sheet.", SheetUnknown));
            return tables;
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            return null;
        }
    }

    private static string SheetList => string.Join("、", RosterLayout.All.Select(l => l.SheetName));

    /// <summary>The sheet's rows, index i being Excel's row i + 1 (MiniExcel fills skipped rows with empty ones).</summary>
    private static List<object?[]>? ReadSheet(byte[] content, string sheetName, List<RosterProblem> problems)
    {
        using var stream = new MemoryStream(content, writable: false);
        var grid = new List<object?[]>();
        foreach (var item in MiniExcel.Query(stream, useHeaderRow: false, sheetName: sheetName))
        {
            if (grid.Count > MaxRows)
            {
                problems.Add(new RosterProblem(sheetName, null, null, null, $"工作表超过 {MaxRows} 行 / The sheet has more than {MaxRows} rows.", FileTooLarge));
                return null;
            }
            if (item is not IDictionary<string, object?> cells) { grid.Add([]); continue; }
            var row = new object?[Math.Min(MaxColumns, cells.Count == 0 ? 0 : cells.Keys.Max(ColumnIndex) + 1)];
            foreach (var (letters, value) in cells)
            {
                var index = ColumnIndex(letters);
                if (index < row.Length) row[index] = value;
            }
            grid.Add(row);
        }
        return grid;
    }

    private static int ColumnIndex(string letters)
    {
        var index = 0;
        foreach (var ch in letters)
            if (ch is >= 'A' and <= 'Z') index = index * 26 + (ch - 'A' + 1);
        return Math.Max(0, index - 1);
    }

    /// <summary>Excel's letters of a column: 0 → A, 26 → AA.</summary>
    public static string ColumnLetters(int index)
    {
        var letters = "";
        for (index++; index > 0; index = (index - 1) / 26) letters = (char)('A' + (index - 1) % 26) + letters;
        return letters;
    }

    /// <summary>The layout whose columns the CSV's first non-empty row names best, when only one fits.</summary>
    private static RosterSheetLayout? Guess(List<object?[]> grid)
    {
        var header = grid.FirstOrDefault(r => r.Any(v => !RosterCell.Of(v).IsEmpty));
        if (header is null) return null;
        var texts = header.Select(v => RosterCell.Of(v).Text).Where(t => t.Length > 0).ToList();
        var fits = RosterLayout.All
            .Select(l => (Layout: l, Known: texts.Count(t => RosterLayout.FindColumn(l, t) is not null),
                HasRequired: l.Columns.Where(c => c.Required).All(c => texts.Any(t => RosterLayout.FindColumn(l, t) == c))))
            .Where(f => f.HasRequired)
            .OrderByDescending(f => f.Known)
            .ToList();
        if (fits.Count == 0) return null;
        if (fits.Count > 1 && fits[1].Known == fits[0].Known) return null;
        return fits[0].Layout;
    }

    /// <summary>Reads the header (the first non-empty row) and the data rows below it.</summary>
    private static RosterTable Table(RosterSheetLayout layout, string sheet, List<object?[]> grid, List<RosterProblem> problems)
    {
        var headerIndex = grid.FindIndex(r => r.Any(v => !RosterCell.Of(v).IsEmpty));
        if (headerIndex < 0) return new RosterTable(layout, sheet, new Dictionary<string, string>(), []);
        var headerRow = headerIndex + 1;
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        var fieldOfColumn = new Dictionary<int, string>();
        var unknownColumns = new HashSet<int>();
        var header = grid[headerIndex];
        for (var c = 0; c < header.Length; c++)
        {
            var text = RosterCell.Of(header[c]).Text;
            if (text.Length == 0) continue;
            var column = RosterLayout.FindColumn(layout, text);
            if (column is null)
            {
                unknownColumns.Add(c);
                problems.Add(new RosterProblem(sheet, headerRow, text, text,
                    $"未知的列“{text}”，{layout.SheetName}表的列是：{string.Join("、", layout.Columns.Select(x => x.Header))} / Unknown column \"{text}\"; the columns are: {string.Join(", ", layout.Columns.Select(x => x.Header))}.",
                    ColumnUnknown));
                continue;
            }
            if (!headers.TryAdd(column.Field, text))
            {
                unknownColumns.Add(c);
                problems.Add(new RosterProblem(sheet, headerRow, text, text,
                    $"列“{text}”与列“{headers[column.Field]}”重复 / Column \"{text}\" repeats column \"{headers[column.Field]}\".", ColumnDuplicate));
                continue;
            }
            fieldOfColumn[c] = column.Field;
        }
        foreach (var missing in layout.Columns.Where(c => c.Required && !headers.ContainsKey(c.Field)))
            problems.Add(new RosterProblem(sheet, headerRow, missing.Header, null,
                $"缺少必需的列“{missing.Header}” / The required column \"{missing.Header}\" is missing.", ColumnMissing));

        var rows = new List<RosterRow>();
        var reportedBlankHeaders = new HashSet<int>();
        for (var r = headerIndex + 1; r < grid.Count; r++)
        {
            var cells = new Dictionary<string, RosterCell>(StringComparer.Ordinal);
            var any = false;
            for (var c = 0; c < grid[r].Length; c++)
            {
                var cell = RosterCell.Of(grid[r][c]);
                if (cell.IsEmpty) continue;
                any = true;
                if (fieldOfColumn.TryGetValue(c, out var field)) cells[field] = cell;
                else if (!unknownColumns.Contains(c) && reportedBlankHeaders.Add(c))
                    problems.Add(new RosterProblem(sheet, r + 1, $"{ColumnLetters(c)}列", cell.Text,
                        $"第 {ColumnLetters(c)} 列有数据但没有表头 / Column {ColumnLetters(c)} holds data but has no header.", ColumnUnknown));
            }
            if (any) rows.Add(new RosterRow(r + 1, cells));
        }
        return new RosterTable(layout, sheet, headers, rows);
    }
}
