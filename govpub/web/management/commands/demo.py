from django.core.management.base import BaseCommand

from govpub.web.demo import DEMO_PASSWORD, PEOPLE, seed_demo


class Command(BaseCommand):
    help = "创建演示数据（鄂州市临空经济区）；可重复执行，不会重复创建。"

    def handle(self, *args, **options):
        seed_demo()
        self.stdout.write("演示数据已就绪。演示账号（密码均为 %s）：" % DEMO_PASSWORD)
        for username, full_name, title, unit, role in PEOPLE:
            self.stdout.write(f"  {username:<18} {full_name}  {unit} · {role.label}")
