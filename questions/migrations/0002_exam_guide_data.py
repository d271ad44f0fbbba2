"""The AIF-C01 domains, weights and task statements, and the exam-guide revisions."""

from django.db import migrations

DOMAINS = [
    (1, "Fundamentals of AI and ML", 20),
    (2, "Fundamentals of Generative AI", 24),
    (3, "Applications of Foundation Models", 28),
    (4, "Guidelines for Responsible AI", 14),
    (5, "Security, Compliance, and Governance for AI Solutions", 14),
]

TASKS = [
    ("1.1", 1, "Explain basic AI concepts and terminologies"),
    ("1.2", 1, "Identify practical use cases for AI"),
    ("1.3", 1, "Describe the ML development lifecycle"),
    ("2.1", 2, "Explain the basic concepts of generative AI"),
    ("2.2", 2, "Understand the capabilities and limitations of generative AI for solving business problems"),
    ("2.3", 2, "Describe AWS infrastructure and technologies for building generative AI applications"),
    ("3.1", 3, "Describe design considerations for applications that use foundation models"),
    ("3.2", 3, "Choose effective prompt engineering techniques"),
    ("3.3", 3, "Describe the training and fine-tuning process for foundation models"),
    ("3.4", 3, "Describe methods to evaluate foundation model performance"),
    ("4.1", 4, "Explain the development of AI systems that are responsible"),
    ("4.2", 4, "Recognize the importance of transparent and explainable models"),
    ("5.1", 5, "Explain methods to secure AI systems"),
    ("5.2", 5, "Recognize governance and compliance regulations for AI systems"),
]


def create(apps, schema_editor):
    Domain = apps.get_model("questions", "Domain")
    TaskStatement = apps.get_model("questions", "TaskStatement")
    GuideRevision = apps.get_model("questions", "GuideRevision")
    domains = {}
    for number, name, weight in DOMAINS:
        domains[number], _ = Domain.objects.update_or_create(number=number, defaults={"name": name, "weight": weight})
    for code, domain, name in TASKS:
        TaskStatement.objects.update_or_create(code=code, defaults={"domain": domains[domain], "name": name})
    for code in ("2024", "2026"):
        GuideRevision.objects.get_or_create(code=code)


class Migration(migrations.Migration):
    dependencies = [("questions", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
