"""Link each yearly budget line to the whole-period line it is part of (the rule of
mch.plans.budget.budget_parents, restated: migrations never import app code)."""

from django.db import migrations


def forwards(apps, schema_editor):
    BudgetLine = apps.get_model("plans", "BudgetLine")
    plan_ids = BudgetLine.objects.values_list("plan_id", flat=True).distinct()
    for plan_id in plan_ids:
        lines = list(BudgetLine.objects.filter(plan_id=plan_id).order_by("order", "pk"))
        wholes = [line for line in lines if line.year is None]
        for line in lines:
            if line.year is None:
                continue
            same = [w for w in wholes if w.funding_source.strip() == line.funding_source.strip()]
            covering = same or [w for w in wholes if not w.funding_source.strip()]
            if covering:
                line.part_of_id = covering[0].pk
                line.save(update_fields=["part_of"])


def backwards(apps, schema_editor):
    apps.get_model("plans", "BudgetLine").objects.update(part_of=None)


class Migration(migrations.Migration):
    dependencies = [("plans", "0002_budget_line_part_of")]

    operations = [migrations.RunPython(forwards, backwards)]
