from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from govpub.api.actions import create_token, revoke_token
from govpub.api.models import ApiToken
from govpub.orgs.models import Person


class Command(BaseCommand):
    help = "接口令牌：create 用户名 [--name 名称] 生成令牌（只显示一次）；list 用户名；revoke 令牌编号。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="为该用户生成接口令牌（令牌只显示这一次）")
        create.add_argument("username")
        create.add_argument("--name", default="命令行生成", help="令牌名称（用途）")
        listing = sub.add_parser("list", help="列出该用户的接口令牌")
        listing.add_argument("username")
        revoke = sub.add_parser("revoke", help="吊销接口令牌")
        revoke.add_argument("token_id", type=int)

    def handle(self, *args, **options):
        try:
            getattr(self, f"do_{options['action']}")(options)
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from None

    def _person(self, username):
        person = Person.objects.filter(username=username).first()
        if person is None:
            raise CommandError(f"用户不存在：{username}")
        return person

    def do_create(self, options):
        token, raw = create_token(self._person(options["username"]), name=options["name"])
        self.stderr.write(f"已为 {token.person.username} 生成接口令牌 #{token.pk}（{token.name}）。"
                          "令牌只显示这一次，请妥善保存：")
        self.stdout.write(raw)

    def do_list(self, options):
        for token in ApiToken.objects.filter(person=self._person(options["username"])):
            state = f"已吊销 {token.revoked_at:%Y-%m-%d %H:%M}" if token.revoked_at else "有效"
            used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "从未使用"
            self.stdout.write(f"#{token.pk}\t{token.prefix}…\t{token.name}\t{state}\t最近使用：{used}")

    def do_revoke(self, options):
        token = ApiToken.objects.filter(pk=options["token_id"]).first()
        if token is None:
            raise CommandError(f"令牌不存在：#{options['token_id']}")
        revoke_token(token)
        self.stdout.write(f"令牌 #{token.pk} 已吊销。")
