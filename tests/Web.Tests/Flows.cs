namespace Workflows.Web.Tests;

/// <summary>Definitions the tests import through the API.</summary>
public static class Flows
{
    /// <summary>A request with a number field and a text field, and no human step: runs to its end at once.</summary>
    public const string LeaveNoteId = "web-leave-note";

    public static string LeaveNote => $$"""
        {
          "definitionId": "{{LeaveNoteId}}",
          "name": "请假备案（测试）",
          "description": "填写天数和事由后直接备案。",
          "inputs": [
            { "name": "days", "displayName": "天数", "type": "Double", "uiHint": "singleline", "fieldType": "number", "required": true },
            { "name": "reason", "displayName": "事由", "type": "String", "uiHint": "multiline", "fieldType": "textarea", "required": true }
          ],
          "root": {
            "id": "flowchart", "type": "Elsa.Flowchart",
            "activities": [
              { "id": "start", "type": "Elsa.Start", "name": "发起", "metadata": { "designer": { "position": { "x": 0, "y": 0 } } } },
              { "id": "note", "type": "Elsa.WriteLine", "name": "备案",
                "text": { "typeName": "String", "expression": { "type": "JavaScript", "value": "`请假 ${getInput('days')} 天`" } },
                "metadata": { "designer": { "position": { "x": 0, "y": 130 } } } }
            ],
            "connections": [ { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "note", "port": "In" } } ]
          }
        }
        """;

    /// <summary>
    /// 交流轮岗申请 as the approval engine runs it: the federation office or lead first (any one), then both principals
    /// (all must approve), then a CC to the personnel office.
    /// </summary>
    public const string RotationId = "web-rotation";

    public static string Rotation => $$"""
        {
          "definitionId": "{{RotationId}}",
          "name": "交流轮岗申请（测试）",
          "inputs": [
            { "name": "reason", "displayName": "申请理由", "type": "String", "uiHint": "multiline", "fieldType": "textarea", "required": true }
          ],
          "root": {
            "id": "flowchart", "type": "Elsa.Flowchart",
            "activities": [
              { "id": "start", "type": "Elsa.Start", "name": "发起" },
              { "id": "first", "type": "Workflows.Approval", "name": "学校初审",
                "stepName": { "typeName": "String", "expression": { "type": "Literal", "value": "学校初审" } },
                "mode": { "typeName": "String", "expression": { "type": "Literal", "value": "Any" } },
                "assignees": { "typeName": "Object", "expression": { "type": "Object", "value": "[{\"type\":\"users\",\"users\":[\"u-office1\",\"u-lead1\"]}]" } },
                "form": { "typeName": "Object", "expression": { "type": "Object", "value": "{\"fields\":[{\"name\":\"reason\",\"label\":\"申请理由\",\"type\":\"textarea\",\"editable\":false}]}" } } },
              { "id": "principals", "type": "Workflows.Approval", "name": "校长会签",
                "stepName": { "typeName": "String", "expression": { "type": "Literal", "value": "校长会签" } },
                "mode": { "typeName": "String", "expression": { "type": "Literal", "value": "All" } },
                "assignees": { "typeName": "Object", "expression": { "type": "Object", "value": "[{\"type\":\"users\",\"users\":[\"u-principal1\",\"u-principal2\"]}]" } } },
              { "id": "cc", "type": "Workflows.Cc", "name": "抄送人事股",
                "stepName": { "typeName": "String", "expression": { "type": "Literal", "value": "抄送人事股" } },
                "to": { "typeName": "Object", "expression": { "type": "Object", "value": "[{\"type\":\"users\",\"users\":[\"u-personnel\"]}]" } } },
              { "id": "end", "type": "Elsa.End", "name": "结束" }
            ],
            "connections": [
              { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "first", "port": "In" } },
              { "source": { "activity": "first", "port": "Approved" }, "target": { "activity": "principals", "port": "In" } },
              { "source": { "activity": "principals", "port": "Approved" }, "target": { "activity": "cc", "port": "In" } },
              { "source": { "activity": "cc", "port": "Done" }, "target": { "activity": "end", "port": "In" } }
            ]
          }
        }
        """;

    /// <summary>A principal asks a teacher for an opinion: one approval step assigned to teacher1, then the end.</summary>
    public const string OpinionId = "web-opinion";

    public static string Opinion => $$"""
        {
          "definitionId": "{{OpinionId}}",
          "name": "教研意见征询（测试）",
          "inputs": [
            { "name": "topic", "displayName": "议题", "type": "String", "uiHint": "singleline", "fieldType": "text", "required": true }
          ],
          "root": {
            "id": "flowchart", "type": "Elsa.Flowchart",
            "activities": [
              { "id": "start", "type": "Elsa.Start", "name": "发起" },
              { "id": "opinion", "type": "Workflows.Approval", "name": "教研组长意见",
                "stepName": { "typeName": "String", "expression": { "type": "Literal", "value": "教研组长意见" } },
                "mode": { "typeName": "String", "expression": { "type": "Literal", "value": "Any" } },
                "assignees": { "typeName": "Object", "expression": { "type": "Object", "value": "[{\"type\":\"users\",\"users\":[\"u-teacher1\"]}]" } } },
              { "id": "end", "type": "Elsa.End", "name": "结束" }
            ],
            "connections": [
              { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "opinion", "port": "In" } },
              { "source": { "activity": "opinion", "port": "Approved" }, "target": { "activity": "end", "port": "In" } }
            ]
          }
        }
        """;

    /// <summary>A teacher's material the school office scores (a required number on the task's form) and approves or rejects.</summary>
    public const string ReviewId = "web-review";

    public static string Review => $$"""
        {
          "definitionId": "{{ReviewId}}",
          "name": "教学材料审核（测试）",
          "inputs": [
            { "name": "title", "displayName": "材料名称", "type": "String", "uiHint": "singleline", "fieldType": "text", "required": true }
          ],
          "root": {
            "id": "flowchart", "type": "Elsa.Flowchart",
            "activities": [
              { "id": "start", "type": "Elsa.Start", "name": "发起" },
              { "id": "review", "type": "Workflows.Approval", "name": "材料复核",
                "stepName": { "typeName": "String", "expression": { "type": "Literal", "value": "材料复核" } },
                "mode": { "typeName": "String", "expression": { "type": "Literal", "value": "Any" } },
                "assignees": { "typeName": "Object", "expression": { "type": "Object", "value": "[{\"type\":\"users\",\"users\":[\"u-office1\"]}]" } },
                "form": { "typeName": "Object", "expression": { "type": "Object", "value": "{\"fields\":[{\"name\":\"title\",\"label\":\"材料名称\",\"type\":\"text\",\"editable\":false},{\"name\":\"score\",\"label\":\"评分\",\"type\":\"number\",\"required\":true}]}" } } },
              { "id": "end", "type": "Elsa.End", "name": "结束" }
            ],
            "connections": [
              { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "review", "port": "In" } },
              { "source": { "activity": "review", "port": "Approved" }, "target": { "activity": "end", "port": "In" } }
            ]
          }
        }
        """;
}
