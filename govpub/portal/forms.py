from django import forms

from govpub.ops.text import SingleLineForm

from .identity import IMAGE_FIELDS, clean_image


class SiteIdentityForm(SingleLineForm):
    site_name = forms.CharField(label="网站名称", max_length=100, required=False,
                                help_text="显示在页头和浏览器标题中；留空则使用部署配置中的名称")
    icp = forms.CharField(label="ICP 备案号", max_length=60, required=False, help_text="如 鄂ICP备12345678号-1")
    psb = forms.CharField(label="公安机关备案号", max_length=60, required=False, help_text="如 鄂公网安备42070002000001号")
    link_registries = forms.BooleanField(label="备案号链接到工业和信息化部、公安部备案查询系统", required=False,
                                         help_text="正式上线后勾选；演示和内网测试时不勾选，避免访问外网")
    conac_url = forms.URLField(label="党政机关网站标识链接", max_length=500, required=False, assume_scheme="https",
                               help_text="开办者在党政机关网站标识系统中的查询地址；留空则不显示标识")
    phone = forms.CharField(label="联系电话", max_length=40, required=False)
    email = forms.EmailField(label="联系邮箱", max_length=120, required=False)
    address = forms.CharField(label="联系地址", max_length=200, required=False)
    logo = forms.FileField(label="网站标识图片", required=False, help_text="PNG/JPEG，不超过 2 MB，显示在页头左侧")
    remove_logo = forms.BooleanField(label="删除现有网站标识图片", required=False)
    banner = forms.FileField(label="页头横幅", required=False, help_text="宽幅图片，不超过 1920×480 像素")
    remove_banner = forms.BooleanField(label="删除现有页头横幅", required=False)
    favicon = forms.FileField(label="浏览器图标", required=False, help_text="正方形图片；留空使用默认图标")
    remove_favicon = forms.BooleanField(label="删除现有浏览器图标", required=False)

    def clean(self):
        data = super().clean()
        for field in IMAGE_FIELDS:
            upload = data.get(field)
            if upload:
                try:
                    data[field] = clean_image(upload, field)
                except forms.ValidationError as error:
                    self.add_error(field, error)
        return data

    def action_arguments(self) -> dict:
        data = self.cleaned_data
        return {"images": {f: data[f] for f in IMAGE_FIELDS if data.get(f)},
                "remove": [f for f in IMAGE_FIELDS if data.get(f"remove_{f}")],
                **{k: v for k, v in data.items() if k not in IMAGE_FIELDS and not k.startswith("remove_")}}
